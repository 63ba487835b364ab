//! A writers' room: a script library on a shared PostgreSQL server that several writers open
//! at once (`--db postgres://USER@HOST/DB`). Who may do what is the server's own business:
//! [`init`] creates the schema and two group roles, `<database>_writers` (read and write) and
//! `<database>_readers` (read only: any write is refused with `forbidden`); a login role joins
//! a group with `GRANT <database>_writers TO alice`. [`copy`] moves a script between a local
//! library and a room, whole (characters' music, sessions, contexts, alts, versions).

use serde::Serialize;
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
/// (so a room initialised by an older version gains the tables added since).
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
