//! Shared fixtures: every test gets its own real SQLite file in a temporary folder.
#![allow(dead_code)]

use std::fmt::Debug;
use std::time::Duration;

use fountainai::characters::{self, Character, NewCharacter};
use fountainai::scripts::{
    self, Element, ElementKind, NewElement, NewScript, Script, SectionHeading,
};
use fountainai::{Database, Error, Result};
use tempfile::TempDir;

/// A database file that lives as long as this value.
pub struct TestDb {
    pub db: Database,
    pub dir: TempDir,
}

impl TestDb {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::open(&dir.path().join("test.sqlite3"))
            .await
            .expect("open database");
        TestDb { db, dir }
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("test.sqlite3")
    }
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
        "SELECT script_id || ':' || title || ':' || IFNULL(sequence_number, '-') || ':' || updated_at FROM scripts ORDER BY 1",
        "SELECT heading_id || ':' || script_id || ':' || title || ':' || IFNULL(sequence_number, '-') FROM section_headings ORDER BY 1",
        "SELECT character_id || ':' || name || ':' || description || ':' || IFNULL(sequence_number, '-') FROM characters ORDER BY 1",
        "SELECT element_id || ':' || heading_id || ':' || kind || ':' || text || ':' || IFNULL(sequence_number, '-') FROM elements ORDER BY 1",
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
    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(db.pool())
            .await
            .expect("the tables");
    let mut out = String::new();
    for (table, sql) in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(db.pool())
                .await
                .expect("the columns");
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\" ORDER BY 1"))
                .fetch_all(db.pool())
                .await
                .expect("the rows");
        out.push_str(&format!("{sql}\n{}\n--\n", rows.join("\n")));
    }
    out
}
