//! Scripts linked to .fountain files, with real files and the real watcher: outside edits
//! however an editor saves, the app's edits written back atomically and not echoed, both at
//! once kept side by side, and a file that goes away unlinked with nothing lost.

#[path = "common/cli.rs"]
mod cli;
mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fountainai::screenplay::{self, Format};
use fountainai::watch::{self, WatchChange, WatchEvent, Watcher};
use fountainai::Database;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use common::{dump, rejected, TestDb};

const PLAY: &str = "\
Title: Harbour

INT. HARBOUR OFFICE - NIGHT

Rain on the window.

ANNA
Is the boat in?

BEN
Not yet.

EXT. PIER - NIGHT

The boat comes in.
";

/// The deadline the writer notices: an edit shows up within a second.
const WITHIN: Duration = Duration::from_secs(1);

struct Linked {
    t: TestDb,
    script_id: i64,
    file: PathBuf,
}

async fn linked() -> Linked {
    let t = TestDb::new().await;
    let summary = screenplay::import_text(&t.db, PLAY, Format::Fountain)
        .await
        .unwrap();
    let file = t.dir.path().join("harbour.fountain");
    watch::link(&t.db, summary.script_id, &file).await.unwrap();
    Linked {
        t,
        script_id: summary.script_id,
        file,
    }
}

/// The watcher on a task of its own, and what it reports.
fn start(db: &Database) -> (JoinHandle<()>, mpsc::UnboundedReceiver<WatchEvent>) {
    let (send, events) = mpsc::unbounded_channel();
    let watcher = Watcher::new(db.clone()).unwrap();
    let task = tokio::spawn(async move {
        let _ = watcher
            .run(move |e| {
                let _ = send.send(e.clone());
            })
            .await;
    });
    (task, events)
}

/// A linked script with the watcher running and past its first look, so later changes are
/// changes.
async fn watched() -> (Linked, JoinHandle<()>, mpsc::UnboundedReceiver<WatchEvent>) {
    let l = linked().await;
    let (task, events) = start(&l.t.db);
    tokio::time::sleep(Duration::from_millis(400)).await;
    (l, task, events)
}

async fn script_text(l: &Linked) -> String {
    screenplay::fountain_text(&l.t.db, l.script_id)
        .await
        .unwrap()
}

/// Waits until the script says `needle`; fails after the deadline.
async fn reaches_database(l: &Linked, needle: &str, since: Instant) {
    while !script_text(l).await.contains(needle) {
        assert!(
            since.elapsed() < WITHIN,
            "the outside edit did not reach the database within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn element_ids(db: &Database, script_id: i64) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT e.element_id FROM elements e JOIN section_headings h USING (heading_id) \
         WHERE h.script_id = $1 ORDER BY h.sequence_number, e.sequence_number",
    )
    .bind(script_id)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

fn edited() -> String {
    PLAY.replace("Not yet.", "Not yet. Soon.")
}

#[tokio::test(flavor = "multi_thread")]
async fn linking_writes_the_script_to_a_new_file() {
    let l = linked().await;
    assert_eq!(std::fs::read_to_string(&l.file).unwrap(), PLAY);
    let link = watch::linked(&l.t.db, l.script_id).await.unwrap().unwrap();
    assert_eq!(Path::new(&link.path), l.file.canonicalize().unwrap());
    let other = screenplay::import_text(&l.t.db, "INT. ELSEWHERE\n\nNothing.\n", Format::Fountain)
        .await
        .unwrap();
    rejected(
        watch::link(&l.t.db, other.script_id, &l.file).await,
        "conflict",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_in_place_write_reaches_the_database_keeping_ids() {
    let (l, task, _events) = watched().await;
    let ids = element_ids(&l.t.db, l.script_id).await;
    let since = Instant::now();
    std::fs::write(&l.file, edited()).unwrap();
    reaches_database(&l, "Not yet. Soon.", since).await;
    assert_eq!(
        element_ids(&l.t.db, l.script_id).await,
        ids,
        "every line keeps its id"
    );
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_edited_right_after_linking_reaches_the_database() {
    // The watcher already runs (as in the open app) when the writer links a file in a folder it
    // does not watch yet, and another editor saves before the watcher's next look.
    let t = TestDb::new().await;
    let (task, _events) = start(&t.db);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let summary = screenplay::import_text(&t.db, PLAY, Format::Fountain)
        .await
        .unwrap();
    let shelf = t.dir.path().join("shelf");
    std::fs::create_dir_all(&shelf).unwrap();
    let file = shelf.join("harbour.fountain");
    watch::link(&t.db, summary.script_id, &file).await.unwrap();
    let since = Instant::now();
    std::fs::write(&file, edited()).unwrap();
    let l = Linked {
        t,
        script_id: summary.script_id,
        file,
    };
    reaches_database(&l, "Not yet. Soon.", since).await;
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_save_by_rename_reaches_the_database() {
    let (l, task, _events) = watched().await;
    for round in 0..2 {
        // Vim's and Helix's save: a new file beside, renamed over the old one. The second
        // round proves the watch survived the first.
        let text = PLAY.replace("Not yet.", &format!("Not yet, round {round}."));
        let since = Instant::now();
        let temp = l.file.with_file_name(".harbour.fountain.swp");
        std::fs::write(&temp, &text).unwrap();
        std::fs::rename(&temp, &l.file).unwrap();
        reaches_database(&l, &format!("round {round}"), since).await;
    }
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_save_by_delete_and_create_reaches_the_database_and_keeps_the_link() {
    let (l, task, _events) = watched().await;
    let since = Instant::now();
    std::fs::remove_file(&l.file).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    std::fs::write(&l.file, edited()).unwrap();
    reaches_database(&l, "Not yet. Soon.", since).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(watch::linked(&l.t.db, l.script_id).await.unwrap().is_some());
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_edit_reaches_the_file_atomically_and_is_not_echoed() {
    let (l, task, mut events) = watched().await;
    let inode = std::fs::metadata(&l.file).unwrap().ino();
    let since = Instant::now();
    screenplay::sync(&l.t.db, l.script_id, &edited())
        .await
        .unwrap();
    while std::fs::read_to_string(&l.file).unwrap() != edited() {
        assert!(
            since.elapsed() < WITHIN,
            "the app's edit did not reach the file"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_ne!(
        std::fs::metadata(&l.file).unwrap().ino(),
        inode,
        "a new file renamed over the old one, never a half-written file"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen.push(e.change);
    }
    assert_eq!(
        seen,
        [WatchChange::ToFile],
        "our own write is not an outside change"
    );
    let leftovers: Vec<_> = std::fs::read_dir(l.t.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn both_changed_keeps_both_and_says_which_file_holds_what() {
    let l = linked().await;
    // Both change while no watcher runs (the app closed), then it starts.
    let app = PLAY.replace("Rain on the window.", "Rain hammers the window.");
    screenplay::sync(&l.t.db, l.script_id, &app).await.unwrap();
    std::fs::write(&l.file, edited()).unwrap();
    let (task, mut events) = start(&l.t.db);
    let event = tokio::time::timeout(Duration::from_secs(2), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.change, WatchChange::Conflict);
    let copy = l.t.dir.path().join("harbour.conflict-1.fountain");
    assert_eq!(
        event.conflict_copy.as_deref().map(Path::new),
        Some(copy.canonicalize().unwrap().as_path())
    );
    assert!(
        event.message.contains("harbour.conflict-1.fountain"),
        "{}",
        event.message
    );
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        edited(),
        "the outside version"
    );
    assert_eq!(
        std::fs::read_to_string(&l.file).unwrap(),
        app,
        "the app's version"
    );
    assert_eq!(script_text(&l).await, app);
    task.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_the_file_unlinks_and_loses_nothing() {
    let (l, task, mut events) = watched().await;
    let before = dump(&l.t.db).await;
    std::fs::remove_file(&l.file).unwrap();
    let event = tokio::time::timeout(Duration::from_secs(2), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.change, WatchChange::Unlinked);
    assert!(
        event.message.contains("nothing in it was lost"),
        "{}",
        event.message
    );
    assert!(watch::linked(&l.t.db, l.script_id).await.unwrap().is_none());
    assert_eq!(dump(&l.t.db).await, before);
    task.abort();
}

#[test]
fn the_cli_links_and_unlinks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (loaded, id) = cli::example(d);
    let file = d.join("rj.fountain");
    let link = cli::ok(d, &["link", &id, file.to_str().unwrap()]);
    assert_eq!(link["scriptId"], loaded["scriptId"]);
    assert!(std::fs::read_to_string(&file).unwrap().contains("Romeo"));
    cli::ok(d, &["unlink", &id]);
    let (code, _) = cli::err(d, &["unlink", &id]);
    assert_eq!(code, Some(3));
}
