//! Backups and recovery through the `fountainai` binary on real SQLite files: backups made,
//! listed with dates and script counts, restored (the current database saved first), and
//! databases that are corrupt, truncated, not a database or made by a newer version refused
//! with a clear error and left byte for byte as they were.

#[path = "common/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};

use cli::{err, ok};
use serde_json::Value;

fn db_file(dir: &Path) -> PathBuf {
    dir.join("studio.sqlite3")
}

fn backups(dir: &Path) -> Vec<Value> {
    ok(dir, &["backup", "list"]).as_array().unwrap().clone()
}

fn titles(dir: &Path) -> Vec<String> {
    ok(dir, &["script", "list"])["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect()
}

/// A database with Romeo and Juliet, closed (its WAL checkpointed into the file).
fn library() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["example", "romeo-and-juliet"]);
    checkpoint(&db_file(dir.path()));
    dir
}

/// Everything of the WAL in the database file, the WAL emptied: the file alone is the database.
fn checkpoint(file: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(file);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
}

#[test]
fn the_first_change_makes_a_backup_and_the_next_within_ten_minutes_does_not() {
    let dir = library();
    let made = backups(dir.path());
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(made[0]["scripts"], 1);
    assert!(made[0]["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(made[0]["path"]
        .as_str()
        .unwrap()
        .contains(&format!("backups{}studio-", std::path::MAIN_SEPARATOR)));
    ok(dir.path(), &["script", "create", "--title", "Second"]);
    assert_eq!(backups(dir.path()).len(), 1);
}

#[test]
fn a_restore_brings_the_backup_back_and_saves_the_current_database_first() {
    let dir = library();
    let before = ok(dir.path(), &["backup", "create"]);
    assert_eq!(before["scripts"], 1);
    ok(
        dir.path(),
        &["script", "create", "--title", "Written after"],
    );
    assert_eq!(titles(dir.path()).len(), 2);
    let text_before = ok(dir.path(), &["text", "1"]);

    let restored = ok(
        dir.path(),
        &["backup", "restore", before["path"].as_str().unwrap()],
    );
    assert_eq!(restored["restored"]["scripts"], 1);
    assert_eq!(restored["savedFirst"]["scripts"], 2);
    assert_eq!(titles(dir.path()), ["Romeo and Juliet"]);
    let text_after = ok(dir.path(), &["text", "1"]);
    assert_eq!(text_after["text"], text_before["text"]);
    assert!(
        text_after["revision"].as_i64() > text_before["revision"].as_i64(),
        "an editor open on the old text must get a conflict"
    );

    // Restoring the saved one gives the later state back.
    ok(
        dir.path(),
        &[
            "backup",
            "restore",
            restored["savedFirst"]["path"].as_str().unwrap(),
        ],
    );
    assert_eq!(titles(dir.path()), ["Romeo and Juliet", "Written after"]);
}

/// The ways a database file goes bad, each done to a real file.
fn damage(file: &Path, how: &str) {
    let mut bytes = std::fs::read(file).unwrap();
    match how {
        "header" => bytes[0..16].copy_from_slice(b"garbage garbage!"),
        "truncated" => bytes.truncate(bytes.len() / 2),
        "not a database" => bytes = b"INT. KITCHEN - DAY\n\nThis is a screenplay.\n".to_vec(),
        "corrupt pages" => {
            // Every page after the schema's scrambled: the tables' b-trees are garbage.
            let page = 4096;
            for (i, b) in bytes.iter_mut().enumerate().skip(2 * page) {
                *b = (i % 251) as u8;
            }
        }
        _ => unreachable!(),
    }
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_refused_left_as_it_is_and_recovered_from_a_backup() {
    for how in ["header", "truncated", "not a database", "corrupt pages"] {
        let dir = library();
        let file = db_file(dir.path());
        damage(&file, how);
        let damaged = std::fs::read(&file).unwrap();

        let (code, error) = err(dir.path(), &["script", "list"]);
        assert_eq!(
            (code, error["code"].as_str()),
            (Some(1), Some("database")),
            "{how}: {error}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("left as it is"), "{how}: {message}");
        assert!(
            std::fs::read(&file).unwrap() == damaged,
            "{how}: the file was changed"
        );

        // The backups can still be listed and the latest restored.
        let made = backups(dir.path());
        assert_eq!(made[0]["scripts"], 1, "{how}");
        let recovered = ok(
            dir.path(),
            &["backup", "restore", made[0]["path"].as_str().unwrap()],
        );
        let aside = PathBuf::from(recovered["keptAside"].as_str().unwrap());
        assert!(
            std::fs::read(&aside).unwrap() == damaged,
            "{how}: the damaged file is kept"
        );
        assert_eq!(titles(dir.path()), ["Romeo and Juliet"], "{how}");
    }
}

#[test]
fn a_database_made_by_a_newer_version_is_refused_with_conflict_and_left_as_it_is() {
    let dir = library();
    let file = db_file(dir.path());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = fountainai::Database::open(&file).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (29991231000000, 'from the future', 1, x'00', 0)",
        )
        .execute(db.pool())
        .await
        .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .unwrap();
        db.close().await;
    });
    let before = std::fs::read(&file).unwrap();
    let (code, error) = err(dir.path(), &["script", "list"]);
    assert_eq!(
        (code, error["code"].as_str()),
        (Some(4), Some("conflict")),
        "{error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("made by a newer version"),
        "{error}"
    );
    assert!(
        std::fs::read(&file).unwrap() == before,
        "the file was changed"
    );
}

#[test]
fn a_feature_of_absurd_length_is_invalid_input_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let (code, error) = err(
        dir.path(),
        &["example", "feature", "--pages", "99999999999"],
    );
    assert_eq!(
        (code, error["code"].as_str()),
        (Some(2), Some("invalid_input")),
        "{error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("1 to 10000 pages"),
        "{error}"
    );
}
