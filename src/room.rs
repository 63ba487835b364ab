//! A writers' room: a script library on a shared PostgreSQL server that several writers open
//! at once (`--db postgres://USER@HOST/DB`). Who may do what is the server's own business:
//! [`init`] creates the schema and two group roles, `<database>_writers` (read and write) and
//! `<database>_readers` (read only: any write is refused with `forbidden`); a login role joins
//! a group with `GRANT <database>_writers TO alice`. [`copy`] moves a script between a local
//! library and a room, whole (characters' music, sessions, contexts, alts, versions).

use serde::Serialize;
use sqlx::postgres::PgListener;
use tracing::instrument;

use crate::db::{Database, Engine};
use crate::document::{load_document, read_document, LoadedScript};
use crate::error::{Error, Result};

/// What `room init` made, and how to let people in.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomInit {
    pub database: String,
    pub writers: String,
    pub readers: String,
    /// The SQL that gives a login role a place in the room.
    pub add_a_writer: String,
    pub add_a_reader: String,
}

/// Grants of the two groups on everything in the room's schema, made again by every `init`
/// (so a room initialised by an older version gains the tables added since). Readers keep
/// settings of their own (row-level security keeps each role to its own rows); a migration
/// that grants more also grants it to a room's groups that exist then, so a room initialised
/// before it gains the grant when it is first opened by its owner, without another `init`.
const GRANTS: &str = r#"
DO $$
DECLARE
    w text := current_database() || '_writers';
    r text := current_database() || '_readers';
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = w) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', w);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), w, r);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I, %I', current_schema(), w, r);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), r);
    EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), r);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON settings TO %I', r);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                   current_schema(), w);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I',
                   current_schema(), w);
END
$$"#;

/// Creates (or brings up to date) the room's schema and its two groups. Run by the server's
/// owner of the database.
#[instrument(skip_all, err)]
pub async fn init(url: &str) -> Result<RoomInit> {
    if Engine::of_url(url) != Engine::Postgres {
        return Err(Error::invalid(
            "a writers' room lives on a PostgreSQL server: give a postgres://USER@HOST/DB URL",
        ));
    }
    let db = Database::open_url(url).await?;
    sqlx::query(GRANTS).execute(db.pool()).await?;
    let database: String = sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)")
        .fetch_one(db.pool())
        .await?;
    db.close().await;
    let writers = format!("{database}_writers");
    let readers = format!("{database}_readers");
    Ok(RoomInit {
        add_a_writer: format!(
            "CREATE ROLE alice LOGIN PASSWORD '…'; GRANT \"{writers}\" TO alice;"
        ),
        add_a_reader: format!("CREATE ROLE bob LOGIN PASSWORD '…'; GRANT \"{readers}\" TO bob;"),
        database,
        writers,
        readers,
    })
}

/// Copies a script whole from one library to another (a local file to a room: `room push`;
/// a room to the local file: `room pull`) as a new script there, in one transaction.
#[instrument(skip_all, err, fields(script_id))]
pub async fn copy(from: &Database, script_id: i64, to: &Database) -> Result<LoadedScript> {
    let doc = read_document(from, script_id).await?;
    load_document(to, &doc).await
}

/// What the user may do in the library open: everything in a file; in a room, what the
/// server grants them.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Access {
    /// The room's URL without a password, when this is a room (the window's title says so).
    pub room: Option<String>,
    /// The server's name for the user (a room's role), when this is a room.
    pub user: Option<String>,
    /// False for a room's reader: the app shows the script read-only.
    pub may_write: bool,
}

/// Who the user is in the library `db` is, and whether they may change it.
#[instrument(skip_all, err)]
pub async fn access(db: &Database) -> Result<Access> {
    let Some(url) = db.room_url() else {
        return Ok(Access {
            room: None,
            user: None,
            may_write: true,
        });
    };
    let (user, may_write): (String, crate::db::Flag) = sqlx::query_as(
        "SELECT CAST(current_user AS TEXT), has_table_privilege('elements', 'INSERT')",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(Access {
        room: Some(without_password(url)),
        user: Some(user),
        may_write: may_write.0,
    })
}

pub use crate::db::without_password;

/// A room's URL with the user and password given apart, as the app's File → Open Writers'
/// Room… asks for them (`postgres://HOST/DB`, `sslmode` and other options kept).
pub fn login_url(url: &str, user: &str, password: Option<&str>) -> Result<String> {
    let wrong = || {
        Error::invalid("a writers' room's address is postgres://HOST/DB (the user is asked apart)")
    };
    if Engine::of_url(url.trim()) != Engine::Postgres {
        return Err(wrong());
    }
    let mut parsed = url::Url::parse(url.trim()).map_err(|_| wrong())?;
    if parsed.host_str().unwrap_or_default().is_empty()
        || parsed.path().trim_matches('/').is_empty()
    {
        return Err(wrong());
    }
    let user = user.trim();
    if !user.is_empty() {
        parsed.set_username(user).map_err(|_| wrong())?;
    }
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        parsed.set_password(Some(password)).map_err(|_| wrong())?;
    }
    Ok(parsed.to_string())
}

/// The channel that carries the library's changes (a script added, changed or deleted).
const LIBRARY: &str = "fountainai_library";

/// A change another writer (or this one) committed to the room.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomChange {
    pub script_id: i64,
    /// The script's revision now; none when the change was to the library (a script added,
    /// renamed or deleted) or the script is gone.
    pub revision: Option<i64>,
}

/// Changes committed to a writers' room, as the server announces them (LISTEN/NOTIFY): every
/// change to the library, and every change to the script followed.
pub struct Changes {
    listener: PgListener,
    following: Option<i64>,
}

impl Changes {
    /// Listens on the room `db` is; none for a database that is not a room.
    pub async fn open(db: &Database) -> Result<Option<Changes>> {
        let Some(url) = db.room_url() else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(LIBRARY).await?;
        Ok(Some(Changes {
            listener,
            following: None,
        }))
    }

    /// Follows one script's changes (the one open in the window), or none.
    pub async fn follow(&mut self, script_id: Option<i64>) -> Result<()> {
        if self.following == script_id {
            return Ok(());
        }
        if let Some(old) = self.following.take() {
            self.listener.unlisten(&channel(old)).await?;
        }
        if let Some(id) = script_id {
            self.listener.listen(&channel(id)).await?;
        }
        self.following = script_id;
        Ok(())
    }

    /// The next change; waits for it. A lost connection is re-made (changes meanwhile are not
    /// announced again: the app reloads what it shows after one).
    pub async fn next(&mut self) -> Result<RoomChange> {
        loop {
            let note = self.listener.recv().await?;
            if let Some(change) = parse(note.channel(), note.payload()) {
                return Ok(change);
            }
        }
    }
}

fn channel(script_id: i64) -> String {
    format!("fountainai_script_{script_id}")
}

/// A notification as the room's trigger sends it.
fn parse(channel: &str, payload: &str) -> Option<RoomChange> {
    if channel == LIBRARY {
        return Some(RoomChange {
            script_id: payload.parse().ok()?,
            revision: None,
        });
    }
    let script_id = channel.strip_prefix("fountainai_script_")?.parse().ok()?;
    Some(RoomChange {
        script_id,
        revision: payload.parse().ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rooms_notifications_read_as_changes() {
        assert_eq!(
            parse("fountainai_script_12", "7"),
            Some(RoomChange {
                script_id: 12,
                revision: Some(7)
            })
        );
        assert_eq!(
            parse("fountainai_script_12", ""),
            Some(RoomChange {
                script_id: 12,
                revision: None
            })
        );
        assert_eq!(
            parse(LIBRARY, "3"),
            Some(RoomChange {
                script_id: 3,
                revision: None
            })
        );
        assert_eq!(parse("someone_else", "3"), None);
        assert_eq!(parse("fountainai_script_x", "3"), None);
    }

    #[test]
    fn a_rooms_address_takes_the_user_and_password_given_apart() {
        assert_eq!(
            login_url(
                "postgres://host:5433/story?sslmode=require",
                "alice",
                Some("p@ss")
            )
            .ok(),
            Some("postgres://alice:p%40ss@host:5433/story?sslmode=require".to_string())
        );
        assert_eq!(
            login_url("postgres://host/story", "", None).ok(),
            Some("postgres://host/story".to_string())
        );
        for wrong in [
            "sqlite:x.sqlite3",
            "postgres://host",
            "not a url",
            "postgres:///story",
        ] {
            assert!(login_url(wrong, "alice", None).is_err(), "{wrong}");
        }
    }
}
