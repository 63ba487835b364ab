//! Crash safety, tested by killing for real: the `fountainai` binary is SIGKILLed at a random
//! moment of an import of the feature script, an editor sync, a section reorder, a version
//! restore, an orchestration, a bundle import and a PDF export, each on its own copy of a real
//! SQLite file. After every kill the database opens, `PRAGMA integrity_check` says ok, and it
//! holds the whole change or none of it (a dump of every row, dates blanked, equals the one
//! before or the one after a complete run); every file under its real name (score files,
//! the export, backups) is absent, the old one or the complete new one.
//!
//! The delays come from a seeded generator, so a failure replays with the seed it prints.
//! CI mode: 15 kills per operation (105 in all). Long mode: `CRASH_KILLS=200 cargo test
//! --test crash_safety -- --test-threads 1` (and `CRASH_SEED=N` for another sequence).

#[path = "common/cli.rs"]
mod cli;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

const DB: &str = "studio.sqlite3";
/// What a score file holds before an orchestration replaces it.
const OLDER_SCORE: &[u8] = b"an older score";

fn kills_per_operation() -> u64 {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(15)
}

fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5EED_F00D)
}

/// xorshift64*: the same seed gives the same delays on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, salt: &str) -> Self {
        let mixed = salt.bytes().fold(seed ^ 0x9E37_79B9_7F4A_7C15, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x1000_0000_01B3)
        });
        Rng(mixed.max(1))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// The library every operation starts from: the feature script with a version, changed
/// after it; its Fountain text edited (for the sync) and its story bundle (for the import).
struct Base {
    dir: tempfile::TempDir,
    sections: Vec<i64>,
    revision: i64,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        cli::ok(d, &["example", "feature"]);
        cli::ok(d, &["version", "create", "script", "1"]);
        let text = cli::ok(d, &["text", "1"])["text"]
            .as_str()
            .unwrap()
            .to_string();
        std::fs::write(d.join("feature.fountain"), &text).unwrap();
        let edited = format!(
            "{}\n\nINT. NEW SCENE - NIGHT\n\nWritten in the editor.\n",
            text.replacen(" rain ", " snow ", 3)
                .replacen(" door ", " gate ", 3)
        );
        std::fs::write(d.join("edited.fountain"), edited).unwrap();
        cli::ok(
            d,
            &[
                "bundle",
                "export",
                "1",
                "-o",
                &path(&d.join("feature.fountainai")),
            ],
        );
        cli::ok(
            d,
            &[
                "script",
                "update",
                "1",
                "--title",
                "The Long Night, revised",
            ],
        );
        let sections = cli::ok(d, &["section", "list", "1"])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["headingId"].as_i64().unwrap())
            .collect();
        let revision = cli::ok(d, &["script", "get", "1"])["revision"]
            .as_i64()
            .unwrap();
        // The backup the first run made stays out of the copies.
        std::fs::remove_dir_all(d.join("backups")).unwrap();
        Base {
            dir,
            sections,
            revision,
        }
    })
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// A fresh copy of the base library in `dir`.
fn copy_base(dir: &Path) {
    std::fs::copy(base().dir.path().join(DB), dir.join(DB)).unwrap();
}

/// What one operation runs in a trial folder (its files named inside it).
type Args = fn(&Path) -> Vec<String>;

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn spawn(dir: &Path, args: &[String]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(dir.join(DB))
        .args(args)
        .env("FOUNTAINAI_DATA_DIR", dir)
        .env_remove("FOUNTAINAI_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run fountainai")
}

/// Every row of every table, in rowid order, with dates blanked (they differ between runs).
async fn dump(db: &Path) -> (String, BTreeMap<String, Vec<String>>) {
    let options = SqliteConnectOptions::new().filename(db);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut rows = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let select = columns
            .iter()
            .filter(|c| !matches!(c.as_str(), "installed_on" | "execution_time"))
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let found: Vec<String> =
            sqlx::query_scalar(&format!("SELECT {select} FROM \"{table}\" ORDER BY rowid"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
        rows.insert(table, found.iter().map(|r| blank_dates(r)).collect());
    }
    conn.close().await.unwrap();
    (verdict, rows)
}

/// `2026-12-01T16:08:12.123Z` → `<date>`.
fn blank_dates(text: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd.dddZ";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let fits = bytes.len() - i >= SHAPE.len()
            && SHAPE.iter().zip(&bytes[i..]).all(|(shape, b)| match shape {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            });
        if fits {
            out.push_str("<date>");
            i += SHAPE.len();
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The files an operation writes, by name relative to the trial folder, with their bytes.
fn written_files(dir: &Path, names: &[&str]) -> BTreeMap<String, Option<Vec<u8>>> {
    names
        .iter()
        .map(|name| (name.to_string(), std::fs::read(dir.join(name)).ok()))
        .collect()
}

/// Runs `args` to the end once, then `kills` times from a fresh copy killed at a random
/// delay; checks every killed run left the whole change or none of it.
async fn kill_during(name: &str, args: Args, files: &[&str]) {
    let before = {
        let dir = tempfile::tempdir().unwrap();
        copy_base(dir.path());
        dump(&dir.path().join(DB)).await
    };
    let done = tempfile::tempdir().unwrap();
    copy_base(done.path());
    let started = Instant::now();
    let status = spawn(done.path(), &args(done.path())).wait().unwrap();
    let took = started.elapsed();
    assert!(status.success(), "{name} did not complete");
    let after = dump(&done.path().join(DB)).await;
    assert_eq!(after.0, "ok");
    assert!(
        !files.is_empty() || before.1 != after.1,
        "{name} changed nothing"
    );
    let complete = written_files(done.path(), files);

    let seed = seed();
    let mut rng = Rng::new(seed, name);
    let (mut none, mut whole, mut files_new) = (0, 0, 0);
    let span = (took.as_millis() as u64).saturating_mul(11) / 10;
    for kill in 0..kills_per_operation() {
        let delay = Duration::from_millis(rng.below(span));
        let trial = tempfile::tempdir().unwrap();
        copy_base(trial.path());
        let mut child = spawn(trial.path(), &args(trial.path()));
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let replay = format!("{name}, kill {kill} after {delay:?} (CRASH_SEED={seed})");

        let got = dump(&trial.path().join(DB)).await;
        assert_eq!(got.0, "ok", "integrity after {replay}");
        if got.1 == before.1 {
            none += 1;
        } else if got.1 == after.1 {
            whole += 1;
        } else {
            let differs: Vec<_> = got
                .1
                .iter()
                .filter(|(table, rows)| before.1.get(*table) != Some(rows))
                .filter(|(table, rows)| after.1.get(*table) != Some(rows))
                .map(|(table, _)| table)
                .collect();
            panic!("half a change after {replay}: tables {differs:?}");
        }
        for (file, bytes) in written_files(trial.path(), files) {
            let old = bytes.as_deref() == Some(OLDER_SCORE);
            files_new += usize::from(bytes.is_some() && !old);
            assert!(
                bytes.is_none() || old || bytes == complete[&file],
                "half-written {file} after {replay}"
            );
        }
        check_backups(trial.path(), &replay).await;
    }
    eprintln!(
        "{name}: {} kills within {span} ms (a complete run took {took:?}): {none} before the \
         change, {whole} after it; {files_new} of its files found new and whole",
        none + whole
    );
}

/// Every backup under its real name is a whole database.
async fn check_backups(dir: &Path, replay: &str) {
    let Ok(entries) = std::fs::read_dir(dir.join("backups")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sqlite3") && !name.starts_with('.') {
            let (verdict, _) = dump(&entry.path()).await;
            assert_eq!(verdict, "ok", "backup {name} after {replay}");
        }
    }
}

fn in_base(name: &str) -> String {
    path(&base().dir.path().join(name))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_an_import_of_the_feature_script_leaves_all_or_nothing() {
    kill_during(
        "import",
        |_| vec!["import".into(), in_base("feature.fountain")],
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_an_editor_sync_leaves_all_or_nothing() {
    kill_during(
        "sync",
        |_| {
            let revision = base().revision.to_string();
            strings(&[
                "sync",
                "1",
                &in_base("edited.fountain"),
                "--base-revision",
                &revision,
            ])
        },
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_a_section_reorder_leaves_all_or_nothing() {
    kill_during(
        "reorder",
        |_| {
            let order: Vec<String> = base().sections.iter().rev().map(i64::to_string).collect();
            strings(&["section", "reorder", "1", "--order", &order.join(",")])
        },
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_a_version_restore_leaves_all_or_nothing() {
    kill_during(
        "version restore",
        |_| strings(&["version", "restore", "script", "1", "1"]),
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_a_bundle_import_leaves_all_or_nothing() {
    kill_during(
        "bundle import",
        |_| strings(&["bundle", "import", &in_base("feature.fountainai")]),
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_orchestration_leaves_no_half_written_score_file() {
    kill_during(
        "orchestrate",
        |dir: &Path| {
            let out = path(&dir.join("score"));
            // A score file that exists already is replaced whole or not at all.
            std::fs::create_dir_all(dir.join("score")).unwrap();
            std::fs::write(dir.join("score/score.mid"), OLDER_SCORE).unwrap();
            strings(&["orchestrate", "1", "--session", "1", "--out", &out])
        },
        &["score/score.mid", "score/score.ly", "score/score.csd"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kill_during_a_pdf_export_leaves_no_half_written_pdf() {
    kill_during(
        "export",
        |dir: &Path| {
            let pdf: PathBuf = dir.join("feature.pdf");
            strings(&["export", "1", "--format", "pdf", "-o", &path(&pdf)])
        },
        &["feature.pdf"],
    )
    .await;
}
