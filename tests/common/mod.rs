//! Shared fixtures: every test gets its own real SQLite file in a temporary folder, or its own
//! database on the test run's PostgreSQL server (`FOUNTAINAI_TEST_PG`, which `scripts/test.sh`
//! starts as a throwaway cluster).
#![allow(dead_code)]

use std::fmt::Debug;
use std::time::Duration;

use fountainai::characters::{self, Character, NewCharacter};
pub use fountainai::db::Engine;
use fountainai::scripts::{
    self, Element, ElementKind, NewElement, NewScript, Script, SectionHeading,
};
use fountainai::{Database, Error, Result};
use tempfile::TempDir;

/// The PostgreSQL server the tests run on: a URL to a database the test user may create
/// databases from.
pub const PG_ENV: &str = "FOUNTAINAI_TEST_PG";

/// A database that lives as long as this value: a SQLite file, or a fresh database on the
/// test server.
pub struct TestDb {
    pub db: Database,
    pub dir: TempDir,
    /// The database's URL on the PostgreSQL server.
    pub url: Option<String>,
}

impl TestDb {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::open(&dir.path().join("test.sqlite3"))
            .await
            .expect("open database");
        TestDb { db, dir, url: None }
    }

    /// A fresh database on `engine`; the PostgreSQL one is a new database on the test server.
    pub async fn on(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => Self::new().await,
            Engine::Postgres => {
                let url = fresh_pg_database().await;
                let db = Database::open_url(&url).await.expect("open the room");
                let dir = tempfile::tempdir().expect("temp dir");
                TestDb {
                    db,
                    dir,
                    url: Some(url),
                }
            }
        }
    }

    /// Another connection pool on the same database, as a second writer's app opens it.
    pub async fn reopen(&self) -> Database {
        match &self.url {
            Some(url) => Database::open_url(url).await.expect("open the room again"),
            None => Database::open(&self.path())
                .await
                .expect("open the file again"),
        }
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("test.sqlite3")
    }
}

/// A test's database on the server goes with it (each is a copy of the server's template, some
/// megabytes: hundreds of tests would fill the disk).
impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(url) = self.url.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(drop_pg_database(&pg_url(), &url));
        });
        let _ = dropped.join();
    }
}

/// The test server's URL; the PostgreSQL half of every two-engine test needs it.
pub fn pg_url() -> String {
    std::env::var(PG_ENV).unwrap_or_else(|_| {
        panic!(
            "{PG_ENV} is not set: these tests run on a PostgreSQL server too. `scripts/test.sh` \
             starts a throwaway one; or point {PG_ENV} at a server where you may create databases"
        )
    })
}

/// A new, empty database on the test server; its URL.
pub async fn fresh_pg_database() -> String {
    fresh_database_on(&pg_url()).await
}

/// A new, empty database on the server `admin` connects to (with its options); its URL.
pub async fn fresh_database_on(admin: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "fountainai_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    on_server(admin, &format!("CREATE DATABASE {name}")).await;
    let mut url = url::Url::parse(admin).expect("a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Drops the database at `url` (made by [`fresh_database_on`] through `admin`), even while
/// pools are open on it.
pub async fn drop_pg_database(admin: &str, url: &str) {
    let parsed = url::Url::parse(url).expect("a URL");
    let name = parsed.path().trim_start_matches('/');
    on_server(admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
}

/// Runs `sql` on the server `admin` connects to, on a connection of its own.
async fn on_server(admin: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin)
        .await
        .expect("connect to the test server");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = sqlx::Connection::close(conn).await;
}

pub async fn script(db: &Database, title: &str) -> Script {
    scripts::create_script(
        db,
        NewScript {
            title: title.into(),
            ..Default::default()
        },
    )
    .await
    .expect("create script")
}

pub async fn section(db: &Database, script_id: i64, title: &str) -> SectionHeading {
    scripts::add_section(db, script_id, title)
        .await
        .expect("add section")
}

/// A session on the script, as a writer starts one.
pub async fn session(db: &Database, script_id: i64) -> fountainai::sessions::Session {
    fountainai::sessions::create_session(
        db,
        fountainai::sessions::NewSession {
            script_id: Some(script_id),
            ..Default::default()
        },
    )
    .await
    .expect("a session")
}

pub async fn character(db: &Database, script_id: i64, name: &str) -> Character {
    characters::create_character(
        db,
        script_id,
        NewCharacter {
            name: name.into(),
            description: None,
        },
    )
    .await
    .expect("create character")
}

/// Every ordered row of the database as text, to prove that a rejected call changed nothing.
pub async fn dump(db: &Database) -> String {
    let mut out = String::new();
    for sql in [
        "SELECT script_id || ':' || title || ':' || COALESCE(CAST(sequence_number AS TEXT), '-') || ':' || updated_at FROM scripts ORDER BY 1",
        "SELECT heading_id || ':' || script_id || ':' || title || ':' || COALESCE(CAST(sequence_number AS TEXT), '-') FROM section_headings ORDER BY 1",
        "SELECT character_id || ':' || name || ':' || description || ':' || COALESCE(CAST(sequence_number AS TEXT), '-') FROM characters ORDER BY 1",
        "SELECT element_id || ':' || heading_id || ':' || kind || ':' || text || ':' || COALESCE(CAST(sequence_number AS TEXT), '-') FROM elements ORDER BY 1",
        "SELECT paraphrase_id || ':' || original_type || ':' || original_id || ':' || text FROM paraphrases ORDER BY 1",
        "SELECT context_id || ':' || key || ':' || value FROM context_entries ORDER BY 1",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.pool()).await.expect("dump");
        out.push_str(&rows.join("\n"));
        out.push_str("\n--\n");
    }
    out
}

/// A Fountain screenplay imported as a new script; its id.
pub async fn import_fountain(db: &Database, fountain: &str) -> i64 {
    fountainai::screenplay::import_text(db, fountain, fountainai::screenplay::Format::Fountain)
        .await
        .expect("import the screenplay")
        .script_id
}

/// Adds an element at the end of a section.
pub async fn add(
    db: &Database,
    heading_id: i64,
    kind: ElementKind,
    who: Option<i64>,
    text: &str,
) -> Element {
    let new = NewElement {
        kind,
        text: text.into(),
        character_id: who,
        parenthetical: None,
        position: None,
    };
    scripts::add_element(db, heading_id, new)
        .await
        .expect("add element")
}

/// Asserts that a call was rejected with `code` and returns the error.
#[track_caller]
pub fn rejected<T: Debug>(result: Result<T>, code: &str) -> Error {
    let error = result.expect_err("the call should have been rejected");
    assert_eq!(error.code(), code, "unexpected error: {error:?}");
    error
}

/// Lets the clock move on, so a later `updatedAt` is visibly later.
pub async fn tick() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

/// Every row of every table (schema included), to prove that a refused call changed nothing
/// anywhere.
pub async fn dump_all(db: &Database) -> String {
    let tables = match db.engine() {
        Engine::Sqlite => "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name",
        Engine::Postgres => {
            "SELECT CAST(t.table_name AS TEXT), string_agg(c.column_name || ' ' || c.data_type, ', ' \
             ORDER BY c.ordinal_position) FROM information_schema.tables t \
             JOIN information_schema.columns c USING (table_schema, table_name) \
             WHERE t.table_schema = current_schema() GROUP BY t.table_name ORDER BY 1"
        }
    };
    let tables: Vec<(String, String)> = sqlx::query_as(tables)
        .fetch_all(db.pool())
        .await
        .expect("the tables");
    let mut out = String::new();
    for (table, sql) in tables {
        let rows = table_rows(db, &table).await;
        out.push_str(&format!("{sql}\n{}\n--\n", rows.join("\n")));
    }
    out
}

/// Every row of one table as text, every column quoted, in order.
pub async fn table_rows(db: &Database, table: &str) -> Vec<String> {
    table_rows_without(db, table, &[]).await
}

/// [`table_rows`] but for the columns `skipped`.
pub async fn table_rows_without(db: &Database, table: &str, skipped: &[&str]) -> Vec<String> {
    let (columns, quote) = match db.engine() {
        Engine::Sqlite => (
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            "quote",
        ),
        Engine::Postgres => (
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            "quote_nullable",
        ),
    };
    let columns: Vec<String> = sqlx::query_scalar(columns)
        .bind(table)
        .fetch_all(db.pool())
        .await
        .expect("the columns");
    let row = columns
        .iter()
        .filter(|c| !skipped.contains(&c.as_str()))
        .map(|c| format!("{quote}(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\" ORDER BY 1"))
        .fetch_all(db.pool())
        .await
        .expect("the rows")
}
