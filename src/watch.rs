//! Scripts linked to .fountain files on disk, followed both ways. An outside edit (another
//! editor, git) is synced in through the editor's sync, so unchanged scenes and lines keep
//! their ids, contexts and alts; a change made in the app or the CLI is written to the file
//! atomically. The link keeps what was last in sync (the script's revision, the file's
//! SHA-256): our own write matches it and is not taken for an outside edit, and when both
//! sides moved the outside version is kept beside the file as `NAME.conflict-<n>.fountain`.
//!
//! The watcher watches each file's folder, not the file: editors save by renaming a new file
//! over the old one (Vim, Helix, VS Code), which ends a watch on the file itself.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tracing::instrument;

use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts;

/// How long file events settle before they are read (a save is often several events).
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often the script side is looked at while no file event comes.
const TICK: Duration = Duration::from_millis(200);
/// A file missing this long was deleted or moved away, not being replaced by a save.
const GONE_AFTER: Duration = Duration::from_millis(600);

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct LinkedFile {
    pub script_id: i64,
    pub path: String,
    pub synced_revision: i64,
    #[serde(skip)]
    #[ts(skip)]
    pub synced_sha256: String,
}

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WatchChange {
    /// The file changed outside; the script now says what it says.
    FromFile,
    /// The script changed; the file now holds it.
    ToFile,
    /// Both changed: the file holds the script, the outside version is in `conflictCopy`.
    Conflict,
    /// The file was deleted or moved away; the link is gone, the script is untouched.
    Unlinked,
    /// The file could not be read or written, or its text not synced; nothing changed.
    Failed,
}

/// What the watcher did, for the writer.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchEvent {
    pub script_id: i64,
    pub path: String,
    pub change: WatchChange,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_copy: Option<String>,
}

use crate::files::write_atomically;

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The absolute path the link keeps: the folder resolved (symlinks too, as the watcher
/// reports it), the file name as given.
fn link_path(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} names no file", path.display())))?;
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) => folder.to_path_buf(),
        None => PathBuf::from("."),
    };
    let folder = folder
        .canonicalize()
        .map_err(|e| Error::invalid(format!("no folder {}: {e}", folder.display())))?;
    Ok(folder.join(name))
}

/// Ties a script to a file. A missing file is written from the script; an existing one must
/// already hold the script's text (anything else would be lost or overwritten).
#[instrument(skip(db), err)]
pub async fn link(db: &Database, script_id: i64, path: &Path) -> Result<LinkedFile> {
    let path = link_path(path)?;
    let revision = scripts::get_script(db, script_id).await?.revision;
    let text = crate::screenplay::fountain_text(db, script_id).await?;
    match read_linked(&path)? {
        Some(bytes) if bytes == text.as_bytes() => {}
        Some(_) => {
            return Err(Error::conflict(format!(
                "{} already holds a different screenplay; import it as a script of its own, \
                 or move it away and link again to write this script there",
                path.display()
            )))
        }
        None => write_atomically(&path, text.as_bytes())?,
    }
    let shown = path.display().to_string();
    let mut tx = db.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT script_id FROM linked_files WHERE path = $1 AND script_id <> $2",
    )
    .bind(&shown)
    .bind(script_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(other) = taken {
        return Err(Error::conflict(format!(
            "{shown} is already linked to script {other}"
        )));
    }
    sqlx::query(
        "INSERT INTO linked_files (script_id, path, synced_revision, synced_sha256) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (script_id) DO UPDATE SET path = excluded.path, \
         synced_revision = excluded.synced_revision, synced_sha256 = excluded.synced_sha256",
    )
    .bind(script_id)
    .bind(&shown)
    .bind(revision)
    .bind(sha256(text.as_bytes()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    linked(db, script_id)
        .await?
        .ok_or_else(|| Error::not_found("the link just made is gone"))
}

/// Removes the link; the script and the file stay as they are.
#[instrument(skip(db), err)]
pub async fn unlink(db: &Database, script_id: i64) -> Result<LinkedFile> {
    let link = linked(db, script_id)
        .await?
        .ok_or_else(|| Error::not_found(format!("script {script_id} is not linked to a file")))?;
    sqlx::query("DELETE FROM linked_files WHERE script_id = $1")
        .bind(script_id)
        .execute(db.pool())
        .await?;
    Ok(link)
}

/// The file a script is linked to, if any.
pub async fn linked(db: &Database, script_id: i64) -> Result<Option<LinkedFile>> {
    // A script that is not there is an error, not "not linked" (the UI would show a link bar).
    scripts::get_script(db, script_id).await?;
    Ok(
        sqlx::query_as("SELECT * FROM linked_files WHERE script_id = $1")
            .bind(script_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn links(db: &Database) -> Result<Vec<LinkedFile>> {
    Ok(
        sqlx::query_as("SELECT * FROM linked_files ORDER BY script_id")
            .fetch_all(db.pool())
            .await?,
    )
}

async fn mark_synced(db: &Database, script_id: i64, revision: i64, bytes: &[u8]) -> Result<()> {
    sqlx::query(
        "UPDATE linked_files SET synced_revision = $1, synced_sha256 = $2 WHERE script_id = $3",
    )
    .bind(revision)
    .bind(sha256(bytes))
    .bind(script_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// What a look at one link found.
enum Found {
    InSync,
    Missing,
    Event(WatchEvent),
}

impl LinkedFile {
    fn event(&self, change: WatchChange, message: String) -> WatchEvent {
        WatchEvent {
            script_id: self.script_id,
            path: self.path.clone(),
            change,
            message,
            conflict_copy: None,
        }
    }
}

/// The linked file's bytes, `None` when it is gone. Another program writes this file, so it
/// gets the import's limit: one over it is refused by its size, never read into memory.
fn read_linked(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => crate::screenplay::read_import(path).map(Some),
    }
}

/// Brings one link in step. `file_event`: the file may have changed; otherwise the file is
/// only read when the script changed (to tell a conflict from a plain write-out).
async fn reconcile(db: &Database, link: &LinkedFile, file_event: bool) -> Result<Found> {
    let revision = scripts::get_script(db, link.script_id).await?.revision;
    let script_changed = revision != link.synced_revision;
    if !file_event && !script_changed {
        return Ok(Found::InSync);
    }
    let bytes = match read_linked(Path::new(&link.path)) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(Found::Missing),
        Err(e) => return Ok(Found::Event(link.event(WatchChange::Failed, e.to_string()))),
    };
    let file_changed = sha256(&bytes) != link.synced_sha256;
    Ok(match (file_changed, script_changed) {
        (false, false) => Found::InSync,
        (false, true) => Found::Event(write_out(db, link, revision).await?),
        (true, false) => Found::Event(sync_in(db, link, &bytes).await?),
        (true, true) => Found::Event(conflict(db, link, &bytes).await?),
    })
}

async fn write_out(db: &Database, link: &LinkedFile, revision: i64) -> Result<WatchEvent> {
    let text = crate::screenplay::fountain_text(db, link.script_id).await?;
    write_atomically(Path::new(&link.path), text.as_bytes())?;
    mark_synced(db, link.script_id, revision, text.as_bytes()).await?;
    Ok(link.event(
        WatchChange::ToFile,
        format!("wrote the script's changes to {}", link.path),
    ))
}

async fn sync_in(db: &Database, link: &LinkedFile, bytes: &[u8]) -> Result<WatchEvent> {
    let text = match crate::screenplay::decode(bytes) {
        Ok(text) => text,
        Err(e) => return Ok(link.event(WatchChange::Failed, e.to_string())),
    };
    let synced =
        crate::screenplay::sync_from(db, link.script_id, text, Some(link.synced_revision)).await;
    match synced {
        Ok(summary) => {
            mark_synced(db, link.script_id, summary.revision, bytes).await?;
            Ok(link.event(
                WatchChange::FromFile,
                format!("synced the outside edit of {} into the script", link.path),
            ))
        }
        // The script moved on between the look and the sync: both changed.
        Err(Error::Conflict(_)) => conflict(db, link, bytes).await,
        Err(e) => Ok(link.event(WatchChange::Failed, e.to_string())),
    }
}

/// Keeps the outside version beside the file, then writes the script's into it.
async fn conflict(db: &Database, link: &LinkedFile, bytes: &[u8]) -> Result<WatchEvent> {
    let path = Path::new(&link.path);
    let copy = conflict_copy(path, bytes)?;
    let revision = scripts::get_script(db, link.script_id).await?.revision;
    let text = crate::screenplay::fountain_text(db, link.script_id).await?;
    write_atomically(path, text.as_bytes())?;
    mark_synced(db, link.script_id, revision, text.as_bytes()).await?;
    let copy = copy.display().to_string();
    let mut event = link.event(
        WatchChange::Conflict,
        format!(
            "both the script and {} changed since they were last in sync: {} now holds the \
             app's version, and the outside version is saved as {copy}",
            link.path, link.path
        ),
    );
    event.conflict_copy = Some(copy);
    Ok(event)
}

/// `NAME.conflict-<n>.fountain` beside the file, the first `n` not taken; never overwrites.
fn conflict_copy(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1..10_000 {
        let copy = path.with_file_name(format!("{stem}.conflict-{n}.fountain"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&copy)
        {
            Ok(mut file) => {
                file.write_all(bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::Io(format!("cannot write {}: {e}", copy.display())))?;
                return Ok(copy);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::Io(format!("cannot write {}: {e}", copy.display()))),
        }
    }
    Err(Error::Io(format!(
        "too many conflict copies beside {}",
        path.display()
    )))
}

/// The watcher over every linked script: file events from the folders, the scripts' side
/// every tick. The CLI's `watch` and the app run it.
pub struct Watcher {
    db: Database,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: mpsc::UnboundedReceiver<DebounceEventResult>,
    folders: BTreeSet<PathBuf>,
    missing: HashMap<i64, Instant>,
    first: bool,
}

impl Watcher {
    pub fn new(db: Database) -> Result<Self> {
        let (send, events) = mpsc::unbounded_channel();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let _ = send.send(result);
        })
        .map_err(|e| Error::Io(format!("cannot watch files: {e}")))?;
        Ok(Self {
            db,
            debouncer,
            events,
            folders: BTreeSet::new(),
            missing: HashMap::new(),
            first: true,
        })
    }

    /// Waits up to a tick for file events, then brings every link in step; what it did.
    pub async fn step(&mut self) -> Result<Vec<WatchEvent>> {
        let links = links(&self.db).await?;
        // A file edited between the link and the watch on its folder sent no event: read it once.
        let fresh = self.watch_folders(&links);
        let changed = self.file_events().await;
        let mut done = Vec::new();
        for link in &links {
            let touched = self.first
                || changed.rescan
                || changed.paths.contains(Path::new(&link.path))
                || Path::new(&link.path)
                    .parent()
                    .is_some_and(|f| fresh.contains(f))
                || self.missing.contains_key(&link.script_id);
            // One link failing (a folder gone unreadable) must not stop the others.
            let found = reconcile(&self.db, link, touched)
                .await
                .unwrap_or_else(|e| Found::Event(link.event(WatchChange::Failed, e.to_string())));
            match found {
                Found::InSync => {
                    self.missing.remove(&link.script_id);
                }
                Found::Event(event) => {
                    self.missing.remove(&link.script_id);
                    done.push(event);
                }
                Found::Missing => {
                    if let Some(event) = self.gone(link).await? {
                        done.push(event);
                    }
                }
            }
        }
        self.first = false;
        Ok(done)
    }

    /// Runs until an error, handing each event to `report`.
    pub async fn run(mut self, mut report: impl FnMut(&WatchEvent)) -> Result<()> {
        loop {
            for event in self.step().await? {
                report(&event);
            }
        }
    }

    /// Watches the folders of `links` (and no others); the ones watched for the first time.
    fn watch_folders(&mut self, links: &[LinkedFile]) -> BTreeSet<PathBuf> {
        let wanted: BTreeSet<PathBuf> = links
            .iter()
            .filter_map(|l| Path::new(&l.path).parent().map(Path::to_path_buf))
            .collect();
        for gone in self.folders.difference(&wanted) {
            let _ = self.debouncer.unwatch(gone);
        }
        let mut watched = BTreeSet::new();
        let mut fresh = BTreeSet::new();
        for folder in wanted {
            if self.folders.contains(&folder) {
                watched.insert(folder);
            } else if self
                .debouncer
                .watch(&folder, RecursiveMode::NonRecursive)
                .is_ok()
            {
                fresh.insert(folder.clone());
                watched.insert(folder);
            }
        }
        self.folders = watched;
        fresh
    }

    async fn file_events(&mut self) -> Changed {
        let mut changed = Changed::default();
        let first = tokio::time::timeout(TICK, self.events.recv()).await;
        let mut next = match first {
            Ok(Some(result)) => Some(result),
            _ => None,
        };
        while let Some(result) = next {
            match result {
                Ok(events) => {
                    // Opening or reading a file is no change, and the watcher's own read of a
                    // file would otherwise wake it again, forever.
                    for event in events.into_iter().filter(|e| !is_read(&e.kind)) {
                        changed.rescan |= event.need_rescan();
                        changed.paths.extend(event.paths.iter().cloned());
                    }
                }
                // A lost or failed watch: look at everything again.
                Err(_) => changed.rescan = true,
            }
            next = self.events.try_recv().ok();
        }
        changed
    }

    /// A missing file is gone once it stays missing a while (a save by delete and create
    /// leaves it missing only for a moment).
    async fn gone(&mut self, link: &LinkedFile) -> Result<Option<WatchEvent>> {
        let since = *self
            .missing
            .entry(link.script_id)
            .or_insert_with(Instant::now);
        if since.elapsed() < GONE_AFTER {
            return Ok(None);
        }
        self.missing.remove(&link.script_id);
        unlink(&self.db, link.script_id).await?;
        Ok(Some(link.event(
            WatchChange::Unlinked,
            format!(
                "{} was deleted or moved away: the script is no longer linked to it, and \
                 nothing in it was lost",
                link.path
            ),
        )))
    }
}

fn is_read(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(
        kind,
        notify::EventKind::Access(
            AccessKind::Open(_) | AccessKind::Read | AccessKind::Close(AccessMode::Read)
        )
    )
}

#[derive(Default)]
struct Changed {
    paths: BTreeSet<PathBuf>,
    rescan: bool,
}
