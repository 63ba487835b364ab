//! Story bundles (`.fountainai`): a whole story as one zip file — the manifest, the FullStory,
//! the document an import creates the script from, the screenplay as Fountain, FDX and PDF,
//! the score as MIDI, LilyPond and Csound, and on request the engraved score and an audio
//! preview. The same story gives the same bytes, and export → import → export gives the same
//! file. Import checks everything before it writes anything, and writes in one transaction.
//! Highland 2's `.highland` files (a zipped TextBundle) come in through the same checks.

pub mod archive;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tracing::instrument;

use crate::db::Database;
use crate::document::{self, IdMap, LoadedScript, ScriptDocument};
use crate::error::{Error, Result};
use crate::music::{audio, csound, lilypond, midi, render};
use crate::progress::Progress;
use crate::screenplay::{self, Format, ImportSummary};
use crate::story::{self, orchestrate, Orchestration};
use archive::Entry;

/// The bundle format this build writes; it reads this one and older.
pub const FORMAT_VERSION: u32 = 1;
pub const EXTENSION: &str = "fountainai";
pub const MANIFEST: &str = "manifest.json";
pub const STORY: &str = "story.json";
pub const DOCUMENT: &str = "document.json";

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format_version: u32,
    pub app_version: String,
    /// The script's `updatedAt`: the bundle's date is the story's, never the clock's.
    pub date: String,
    pub title: String,
    /// The session (its place in `document.json`, 1..) the story and the score are under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<i64>,
    pub entries: Vec<ManifestEntry>,
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestEntry {
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
}

#[derive(ts_rs::TS, Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    #[serde(default)]
    pub session_id: Option<i64>,
    /// Also the engraved score (LilyPond) and an audio preview, where they can be made.
    #[serde(default)]
    pub render: bool,
}

/// A rendered entry that was left out, and why.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleExported {
    pub script_id: i64,
    pub path: PathBuf,
    #[ts(type = "number")]
    pub bytes: u64,
    pub entries: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// What `bundle inspect` found: the manifest as the file says it, and whether it holds.
#[derive(ts_rs::TS, Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub manifest: Option<Manifest>,
    pub verified: bool,
    /// Why it would be refused; absent when it verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Writes the bundle to `path` (atomically: a temp file beside it, then a rename).
#[instrument(skip(db, progress), err)]
pub async fn export_file(
    db: &Database,
    script_id: i64,
    options: &ExportOptions,
    path: &Path,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<BundleExported> {
    let (bytes, entries, skipped) = export(db, script_id, options, progress).await?;
    crate::files::write_atomically(path, &bytes)?;
    Ok(BundleExported {
        script_id,
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        entries,
        skipped,
    })
}

/// The bundle's bytes, its entry names, and the rendered entries left out.
pub async fn export(
    db: &Database,
    script_id: i64,
    options: &ExportOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<(Vec<u8>, Vec<String>, Vec<Skipped>)> {
    let total = if options.render { 6 } else { 4 };
    let mut report = |done: u32, step: &str| progress(Progress::new("bundle", step, done, total));
    report(0, "story");
    // The reads run side by side on the pool's connections (one snapshot each).
    let ((doc, mut ids), scored, fountain, play) = tokio::try_join!(
        async {
            let mut tx = db.pool().begin().await?;
            document::read_with_ids(&mut tx, script_id).await
        },
        orchestrate::story_and_score(db, script_id, options.session_id),
        screenplay::export(db, script_id, Format::Fountain),
        screenplay::screenplay(db, script_id),
    )?;
    let orchestrate::Scored { story, score } = scored;
    report(1, "screenplay");
    // The PDF (pagination, font subsets) takes as long as everything else together: it is
    // laid out on a thread of its own meanwhile.
    let (pdf, written) = std::thread::scope(|scope| {
        let pdf = scope.spawn(|| screenplay::pdf::write(&play));
        let written = (|| -> Result<Written> {
            let ly = lilypond::write(&score);
            Ok(Written {
                script: vec![
                    json_entry(STORY, &story_json(story, &mut ids)?)?,
                    json_entry(DOCUMENT, &serde_json::to_value(&doc)?)?,
                    entry("script.fountain", fountain),
                    entry("script.fdx", screenplay::write_fdx(&play)?.into_bytes()),
                ],
                score: vec![
                    entry(orchestrate::MIDI_FILE, midi::write(&score)?),
                    entry(orchestrate::LILYPOND_FILE, ly.clone().into_bytes()),
                    entry(orchestrate::CSOUND_FILE, csound::write(&score).into_bytes()),
                ],
                ly,
            })
        })();
        let pdf = pdf
            .join()
            .unwrap_or_else(|_| Err(Error::Io("writing the PDF failed".into())));
        (pdf, written)
    });
    let Written {
        script,
        score: score_files,
        ly,
    } = written?;
    report(2, "score");
    let mut entries = script;
    entries.push(entry("script.pdf", pdf?));
    entries.extend(score_files);
    let mut skipped = Vec::new();
    if options.render {
        report(3, "sheet music");
        rendered(&mut entries, &mut skipped, "score.pdf", sheet_music(&ly));
        report(4, "audio preview");
        let preview = preview_wav(score).await;
        rendered(&mut entries, &mut skipped, "preview.wav", preview);
    }
    report(total - 1, "zip");
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        date: doc.updated_at.clone().unwrap_or_default(),
        title: doc.title.clone(),
        session: options
            .session_id
            .map(|s| ids.map(document::Kind::Session, s)),
        entries: entries.iter().map(listed).collect(),
    };
    let names = entries.iter().map(|e| e.name.clone()).collect();
    entries.insert(0, json_entry(MANIFEST, &serde_json::to_value(&manifest)?)?);
    let bytes = archive::write(&entries)?;
    report(total, "done");
    Ok((bytes, names, skipped))
}

/// The entries written beside the PDF, and the LilyPond text the sheet music is engraved from.
struct Written {
    script: Vec<Entry>,
    score: Vec<Entry>,
    ly: String,
}

/// The FullStory in the document's ids, without the data directory's file paths (they are
/// this machine's, not the story's).
fn story_json(mut story: story::FullStory, ids: &mut IdMap) -> Result<Value> {
    story.orchestration = Orchestration::default();
    let mut value = serde_json::to_value(&story)?;
    ids.remap(&mut value);
    Ok(value)
}

fn entry(name: &str, bytes: Vec<u8>) -> Entry {
    Entry {
        name: name.to_string(),
        bytes,
    }
}

fn json_entry(name: &str, value: &Value) -> Result<Entry> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(entry(name, bytes))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn listed(e: &Entry) -> ManifestEntry {
    ManifestEntry {
        name: e.name.clone(),
        size: e.bytes.len() as u64,
        sha256: sha256(&e.bytes),
    }
}

fn rendered(
    entries: &mut Vec<Entry>,
    skipped: &mut Vec<Skipped>,
    name: &str,
    made: Result<Vec<u8>>,
) {
    match made {
        Ok(bytes) => entries.push(entry(name, bytes)),
        Err(e) => skipped.push(Skipped {
            name: name.to_string(),
            reason: e.to_string(),
        }),
    }
}

/// A folder of our own under the system's temp folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("fountainai-bundle-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sheet_music(ly: &str) -> Result<Vec<u8>> {
    let scratch = Scratch::new()?;
    let ly_path = scratch.0.join(orchestrate::LILYPOND_FILE);
    std::fs::write(&ly_path, ly)?;
    let sheet = render::sheet_music(&ly_path, &scratch.0)?;
    Ok(std::fs::read(sheet.pdf)?)
}

async fn preview_wav(score: crate::music::Score) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let scratch = Scratch::new()?;
        let wav = scratch.0.join("preview.wav");
        audio::render_wav(&score, &audio::default_soundfont(), &wav)?;
        Ok(std::fs::read(wav)?)
    })
    .await
    .map_err(|e| Error::Io(format!("the audio render stopped: {e}")))?
}

/// A bundle's entries, every check passed: the zip's own, then the manifest's.
fn verified(path: &Path) -> Result<(Manifest, Vec<Entry>)> {
    verified_entries(read_zip(path)?)
}

/// A bundle's manifest and entries from its bytes, every check passed (as import does them).
pub fn verify<R: std::io::Read + std::io::Seek>(reader: R) -> Result<(Manifest, Vec<Entry>)> {
    verified_entries(archive::read(reader)?)
}

fn verified_entries(entries: Vec<Entry>) -> Result<(Manifest, Vec<Entry>)> {
    let manifest_entry = entries
        .iter()
        .find(|e| e.name == MANIFEST)
        .ok_or_else(|| Error::invalid(format!("not a story bundle: it has no {MANIFEST}")))?;
    let manifest = manifest(&manifest_entry.bytes)?;
    check_entries(&manifest, &entries)?;
    Ok((manifest, entries))
}

fn read_zip(path: &Path) -> Result<Vec<Entry>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))?;
    archive::read(std::io::BufReader::new(file))
}

fn manifest(bytes: &[u8]) -> Result<Manifest> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid(format!("the manifest is not JSON: {e}")))?;
    let version = value.get("formatVersion").and_then(Value::as_u64);
    match version {
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(Error::invalid(format!(
            "the bundle is format version {v}; this FountainAI ({}) reads format version {FORMAT_VERSION} and older: update FountainAI to open it",
            env!("CARGO_PKG_VERSION")
        ))),
        Some(_) => serde_json::from_value(value)
            .map_err(|e| Error::invalid(format!("the manifest is not one FountainAI wrote: {e}"))),
        None => Err(Error::invalid("the manifest has no formatVersion")),
    }
}

/// Every entry but the manifest is listed, with its size and checksum, and nothing else is.
fn check_entries(manifest: &Manifest, entries: &[Entry]) -> Result<()> {
    let present: BTreeSet<&str> = entries
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| *n != MANIFEST)
        .collect();
    let listed: BTreeSet<&str> = manifest.entries.iter().map(|e| e.name.as_str()).collect();
    if let Some(extra) = present.difference(&listed).next() {
        return Err(Error::invalid(format!("{extra:?} is not in the manifest")));
    }
    for want in &manifest.entries {
        let got = entries
            .iter()
            .find(|e| e.name == want.name)
            .ok_or_else(|| Error::invalid(format!("{:?} is missing from the bundle", want.name)))?;
        if got.bytes.len() as u64 != want.size || sha256(&got.bytes) != want.sha256 {
            return Err(Error::invalid(format!(
                "{:?} does not match its checksum or size in the manifest: the bundle is damaged or was changed",
                want.name
            )));
        }
    }
    Ok(())
}

/// The manifest and whether the bundle passes every check, without importing it.
#[instrument(err)]
pub fn inspect(path: &Path) -> Result<Inspection> {
    match verified(path) {
        Ok((manifest, _)) => Ok(Inspection {
            manifest: Some(manifest),
            verified: true,
            problem: None,
        }),
        Err(Error::InvalidInput(problem)) => {
            let manifest = read_zip(path).ok().and_then(|entries| {
                let e = entries.into_iter().find(|e| e.name == MANIFEST)?;
                serde_json::from_slice(&e.bytes).ok()
            });
            Ok(Inspection {
                manifest,
                verified: false,
                problem: Some(problem),
            })
        }
        Err(e) => Err(e),
    }
}

/// Creates a new script from a bundle (or a Highland 2 file, by its `.highland` name).
#[instrument(skip(db), err)]
pub async fn import_file(db: &Database, path: &Path) -> Result<LoadedScript> {
    if is_highland(path) {
        return import_highland(db, path).await;
    }
    let (_, entries) = verified(path)?;
    let doc_entry = entries
        .iter()
        .find(|e| e.name == DOCUMENT)
        .ok_or_else(|| Error::invalid(format!("the bundle has no {DOCUMENT}")))?;
    let text = std::str::from_utf8(&doc_entry.bytes)
        .map_err(|_| Error::invalid(format!("{DOCUMENT} is not UTF-8")))?;
    document::load_document(db, &ScriptDocument::from_json(text)?).await
}

/// Whether a file is one [`import_file`] takes: a `.fountainai` bundle or a `.highland` file.
pub fn is_bundle(path: &Path) -> bool {
    is_highland(path)
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

/// Any file a writer may open: a bundle or Highland file as [`import_file`] does, else a
/// screenplay (.fountain, .fdx) as `screenplay::import_file` does.
pub async fn import_any(db: &Database, path: &Path) -> Result<ImportSummary> {
    if !is_bundle(path) {
        return screenplay::import_file(db, path).await;
    }
    let loaded = import_file(db, path).await?;
    Ok(ImportSummary {
        script_id: loaded.script_id,
        sections: loaded.sections,
        characters: loaded.characters,
        elements: loaded.elements,
    })
}

pub fn is_highland(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("highland"))
}

/// A Highland 2 file: a zipped TextBundle whose `text.fountain` (or `text.md`) is the script.
async fn import_highland(db: &Database, path: &Path) -> Result<LoadedScript> {
    let entries = read_zip(path)?;
    let text_of = |file: &str| {
        entries.iter().find(|e| {
            let depth = e.name.matches('/').count();
            depth <= 1 && (e.name == file || e.name.ends_with(&format!("/{file}")))
        })
    };
    let text = text_of("text.fountain")
        .or_else(|| text_of("text.md"))
        .ok_or_else(|| {
            Error::invalid("not a Highland file: it holds no text.fountain or text.md")
        })?;
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if text.bytes.len() as u64 > screenplay::MAX_IMPORT_BYTES {
        return Err(Error::invalid(format!(
            "{:?} in the Highland file is over {} MB: FountainAI imports screenplays of up to {} MB",
            text.name,
            text.bytes.len() / (1024 * 1024),
            screenplay::MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let text = screenplay::decode(&text.bytes)?;
    let summary = screenplay::import_titled(db, text, Format::Fountain, &title).await?;
    Ok(loaded(summary))
}

fn loaded(s: ImportSummary) -> LoadedScript {
    LoadedScript {
        script_id: s.script_id,
        session_ids: Vec::new(),
        sections: s.sections,
        characters: s.characters,
        elements: s.elements,
    }
}
