//! Shared fixtures: every test gets its own real SQLite file in a temporary folder.
#![allow(dead_code)]

use fountainai::characters::{self, Character, NewCharacter};
use fountainai::scripts::{self, NewScript, Script, SectionHeading};
use fountainai::Database;
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
