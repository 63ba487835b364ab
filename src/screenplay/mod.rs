//! Screenplays in and out: import Fountain and Final Draft (FDX) into the services, export a
//! script as Fountain, FDX or PDF, and sync the editor's Fountain text back into the database
//! keeping the identity of what did not change.
//!
//! Everything goes through the parser's [`Screenplay`] model: text → `Screenplay` → scenes
//! (sections with element rows, [`scenes`]) → database, and back the same way.

mod fdx;
mod fountain;
pub(crate) mod import;
mod merge;
pub mod pages;
pub mod pdf;
pub(crate) mod scenes;
pub(crate) mod source;
mod sync;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::db::Database;
use crate::error::{Error, Result};
use crate::fountain::Screenplay;
use crate::scripts;

pub use fdx::{read as read_fdx, write as write_fdx};
pub use fountain::write as write_fountain;
pub use merge::{
    merge_text, save_text, ChangedScene, EditorSave, LineConflict, MergeSummary, MergedScene,
    KEPT_ALT,
};
pub use sync::{sync, sync_from, Counts, SyncSummary};

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ExportFormat")]
pub enum Format {
    Fountain,
    Fdx,
    Pdf,
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "fountain" => Ok(Format::Fountain),
            "fdx" => Ok(Format::Fdx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(Error::invalid(format!(
                "unknown format {s:?}; expected fountain, fdx or pdf"
            ))),
        }
    }
}

/// The title page keys Fountain writers use for the author.
pub(crate) const AUTHOR_KEYS: [&str; 5] = ["author", "authors", "writtenBy", "writer", "writers"];

/// The value of the first title page field named `key`.
pub(crate) fn title_field<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// What an import created.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub script_id: i64,
    pub sections: usize,
    pub characters: usize,
    pub elements: usize,
}

/// Imports a `.fountain` or `.fdx` file as a new script (FDX by extension, or by an XML
/// start for other names). The file name is the title when the title page has none.
#[instrument(skip_all, err, fields(path = %path.display()))]
pub async fn import_file(db: &Database, path: &Path) -> Result<ImportSummary> {
    let bytes = read_import(path)?;
    let format = format_of(path, &bytes);
    let text = decode(&bytes)?;
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_titled(db, text, format, &title).await
}

/// Imports Fountain or FDX text as a new script.
#[instrument(skip_all, err)]
pub async fn import_text(db: &Database, text: &str, format: Format) -> Result<ImportSummary> {
    import_titled(db, text, format, "Untitled").await
}

pub(crate) async fn import_titled(
    db: &Database,
    text: &str,
    format: Format,
    fallback_title: &str,
) -> Result<ImportSummary> {
    sync::check_text(text)?;
    let screenplay = parse(text, format)?;
    check_fields(&screenplay)?;
    let mut tx = db.begin().await?;
    let fountain = (format == Format::Fountain).then_some(text);
    let summary = import::insert_screenplay(&mut tx, &screenplay, fallback_title, fountain).await?;
    // An imported script sounds like its story at once: moods suggested into a session of their own.
    crate::story::moods::suggest_in(&mut tx, summary.script_id, None).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Every text of a screenplay read from outside is one a writer could have typed (no NUL, at
/// most `scripts::MAX_FIELD_BYTES` each), as the element service requires of its own.
pub(crate) fn check_fields(screenplay: &Screenplay<'_>) -> Result<()> {
    for (key, value) in &screenplay.title_page {
        scripts::typed(&format!("title page's {key}"), value)?;
    }
    for element in &screenplay.elements {
        scripts::typed(&format!("text on line {}", element.line()), element.text())?;
    }
    Ok(())
}

/// Parses Fountain or FDX text into the one screenplay model.
pub fn parse(text: &str, format: Format) -> Result<Screenplay<'_>> {
    match format {
        Format::Fountain => Ok(crate::fountain::parse(text)),
        Format::Fdx => fdx::read(text),
        Format::Pdf => Err(Error::invalid(
            "PDF cannot be imported; use Fountain or FDX",
        )),
    }
}

/// The largest screenplay or document file FountainAI imports (a 1,000-page script is about
/// 1.3 MB of Fountain): anything bigger is refused before it is read into memory.
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;

/// A file to import, refused with `invalid_input` when it is over [`MAX_IMPORT_BYTES`]: its
/// size is checked before reading, and the read stops there should the file grow meanwhile.
pub fn read_import(path: &Path) -> Result<Vec<u8>> {
    let cannot = |e: std::io::Error| Error::Io(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    check_import_size(&path.display().to_string(), size)?;
    read_capped(file, &path.display().to_string()).map_err(|e| match e {
        Error::Io(e) => Error::Io(format!("cannot read {}: {e}", path.display())),
        e => e,
    })
}

/// Everything `reader` holds (standard input, a file), up to [`MAX_IMPORT_BYTES`].
pub fn read_capped(reader: impl std::io::Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader.take(MAX_IMPORT_BYTES + 1), &mut bytes)?;
    check_import_size(name, bytes.len() as u64)?;
    Ok(bytes)
}

fn check_import_size(name: &str, size: u64) -> Result<()> {
    if size <= MAX_IMPORT_BYTES {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{name} is over {} MB: FountainAI imports files of up to {} MB",
        size / (1024 * 1024),
        MAX_IMPORT_BYTES / (1024 * 1024)
    )))
}

/// UTF-8 text of a file (a BOM is dropped); the error names the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(format!(
            "the file is not valid UTF-8: bad byte sequence at byte offset {}",
            e.valid_up_to()
        ))
    })
}

fn format_of(path: &Path, bytes: &[u8]) -> Format {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("fdx") => Format::Fdx,
        Some("fountain" | "spmd" | "txt") => Format::Fountain,
        _ => {
            let head = &bytes[..bytes.len().min(512)];
            let head = String::from_utf8_lossy(head);
            if head
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with("<?xml")
                || head.contains("<FinalDraft")
            {
                Format::Fdx
            } else {
                Format::Fountain
            }
        }
    }
}

/// A script as a file: Fountain text, FDX or PDF bytes. The same script gives the same bytes.
#[instrument(skip(db), err)]
pub async fn export(db: &Database, script_id: i64, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Fountain => Ok(fountain_text(db, script_id).await?.into_bytes()),
        Format::Fdx => Ok(fdx::write(&screenplay(db, script_id).await?)?.into_bytes()),
        Format::Pdf => pdf::write(&screenplay(db, script_id).await?),
    }
}

/// A script exported into a file: where, how big, and for a PDF its pages and what it could not
/// print.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileExported {
    pub script_id: i64,
    pub format: Format,
    pub path: String,
    #[ts(type = "number")]
    pub bytes: usize,
    /// A PDF's body pages, the title page not counted: the count the editor shows.
    #[ts(optional, type = "number")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    /// Characters no embedded font has (printed as `?`), each once; always empty for Fountain
    /// and FDX, which carry the text as it is.
    pub missing: Vec<String>,
}

/// The script as a PDF with `options` (paper, watermark, header).
#[instrument(skip(db), err)]
pub async fn export_pdf(
    db: &Database,
    script_id: i64,
    options: &pdf::PdfOptions,
) -> Result<pdf::PdfExport> {
    pdf::export(&screenplay(db, script_id).await?, options)
}

/// Exports the script into a file, written atomically (a PDF with `options`), and says what the
/// file holds.
#[instrument(skip(db), err)]
pub async fn export_to(
    db: &Database,
    script_id: i64,
    format: Format,
    options: &pdf::PdfOptions,
    path: &Path,
) -> Result<FileExported> {
    let (bytes, pages, missing) = match format {
        Format::Pdf => {
            let export = export_pdf(db, script_id, options).await?;
            let missing = export.missing.iter().map(char::to_string).collect();
            (export.bytes, Some(export.pages), missing)
        }
        _ => (export(db, script_id, format).await?, None, Vec::new()),
    };
    crate::files::write_atomically(path, &bytes)?;
    Ok(FileExported {
        script_id,
        format,
        path: path.display().to_string(),
        bytes: bytes.len(),
        pages,
        missing,
    })
}

/// The script's page count and where each page starts in the editor's text, paginated as the
/// PDF export does (the same paginator), from the stored script.
#[instrument(skip(db), err)]
pub async fn pages(db: &Database, script_id: i64, paper: pages::Paper) -> Result<pages::Pages> {
    let EditorText { text, revision, .. } = editor_text(db, script_id).await?;
    let parsed = crate::fountain::parse(&text);
    let (count, breaks) = pages::breaks(&parsed, paper);
    Ok(pages::Pages {
        script_id,
        count,
        title_page: !parsed.title_page.is_empty(),
        paper,
        revision,
        breaks,
    })
}

/// The script as Fountain text, for the editor and the export: the writer's own text where
/// it still says what is stored.
#[instrument(skip(db), err)]
pub async fn fountain_text(db: &Database, script_id: i64) -> Result<String> {
    // One read transaction: the structure and the kept text from the same moment.
    let mut tx = db.pool().begin().await?;
    let (title_page, stored) = stored_script(&mut tx, script_id).await?;
    source::fountain_text(&mut tx, title_page, &stored, script_id).await
}

/// The script's Fountain text and the revision it belongs to, read together: what the editor
/// loads and hands back as `baseRevision`.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorText {
    pub text: String,
    pub revision: i64,
    /// Where each stored element starts in `text`, for the editor to follow the music.
    pub lines: Vec<TextLine>,
}

/// A stored element and the line of the editor's text it starts on (1-based).
#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextLine {
    pub element_id: i64,
    #[ts(type = "number")]
    pub line: usize,
}

/// [`fountain_text`] with the script's revision, from the same moment.
#[instrument(skip(db), err)]
pub async fn editor_text(db: &Database, script_id: i64) -> Result<EditorText> {
    let mut tx = db.pool().begin().await?;
    let revision = scripts::fetch_script(&mut tx, script_id).await?.revision;
    let (title_page, stored) = stored_script(&mut tx, script_id).await?;
    let text = source::fountain_text(&mut tx, title_page, &stored, script_id).await?;
    let lines = text_lines(&text, &stored);
    Ok(EditorText {
        text,
        revision,
        lines,
    })
}

/// The text read back scene by scene: a scene that reads as stored lends its elements' ids
/// to the lines they start on (the text is made so that every scene does).
fn text_lines(text: &str, stored: &[scenes::StoredScene]) -> Vec<TextLine> {
    let parsed = crate::fountain::parse(text);
    let (read, starts) = scenes::read(&parsed);
    let same = |(scene, _): &(&scenes::Scene, &scenes::Starts), kept: &scenes::StoredScene| {
        scene.lines.len() == kept.element_ids.len() && scene.lines == kept.scene.lines
    };
    read.iter()
        .zip(&starts)
        .zip(stored)
        .filter(|(read, kept)| same(read, kept))
        .flat_map(|((_, starts), kept)| {
            kept.element_ids
                .iter()
                .zip(&starts.lines)
                .map(|(&element_id, &line)| TextLine { element_id, line })
        })
        .collect()
}

/// The stored script in the parser's model.
#[instrument(skip(db), err)]
pub async fn screenplay(db: &Database, script_id: i64) -> Result<Screenplay<'static>> {
    let mut conn = db.pool().acquire().await?;
    let (title_page, stored) = stored_script(&mut conn, script_id).await?;
    let scenes: Vec<scenes::Scene> = stored.into_iter().map(|s| s.scene).collect();
    Ok(scenes::to_screenplay(title_page, &scenes))
}

/// Each scene's printed length in eighths of a page (Letter, as the PDF prints it), by heading id.
pub(crate) async fn scene_eighths(
    conn: &mut sqlx::AnyConnection,
    script_id: i64,
) -> Result<HashMap<i64, u64>> {
    let (title_page, stored) = stored_script(conn, script_id).await?;
    let ids: Vec<i64> = stored.iter().map(|s| s.heading_id).collect();
    let scenes: Vec<scenes::Scene> = stored.into_iter().map(|s| s.scene).collect();
    let (screenplay, marks) = scenes::to_screenplay_marked(title_page, &scenes);
    let mut mark = 0;
    let headings: Vec<Option<usize>> = scenes
        .iter()
        .map(|scene| {
            let heading = marks.get(mark).copied().filter(|_| !scene.untitled);
            mark += 1 + scene.lines.len();
            heading
        })
        .collect();
    let eighths = pages::scene_eighths(&screenplay, &headings, pages::Paper::Letter);
    Ok(ids.into_iter().zip(eighths).collect())
}

/// The title page (with the script's current title and author) and the scenes with their ids.
async fn stored_script(
    conn: &mut sqlx::AnyConnection,
    script_id: i64,
) -> Result<(Vec<(String, String)>, Vec<scenes::StoredScene>)> {
    let script = scripts::fetch_script(conn, script_id).await?;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT CAST(title_page AS TEXT) FROM scripts WHERE script_id = $1")
            .bind(script_id)
            .fetch_one(&mut *conn)
            .await?;
    let scenes = scenes::load(conn, script_id).await?;
    let title_page = title_page(stored.as_deref(), &script.title, &script.author)?;
    Ok((title_page, scenes))
}

/// The imported title page, with title and author replaced where the script's fields were
/// edited since; a plain title page when nothing was imported.
fn title_page(stored: Option<&str>, title: &str, author: &str) -> Result<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = match stored {
        Some(json) => serde_json::from_str(json)?,
        None => Vec::new(),
    };
    set_field(&mut pairs, &["title"], "title", title);
    set_field(&mut pairs, &AUTHOR_KEYS, "author", author);
    Ok(pairs)
}

fn set_field(pairs: &mut Vec<(String, String)>, keys: &[&str], key: &str, value: &str) {
    match pairs.iter_mut().find(|(k, _)| keys.contains(&k.as_str())) {
        Some((_, v)) if import::plain_text(v) == value => {}
        Some((_, v)) => *v = value.to_string(),
        None if !value.is_empty() => {
            let at = usize::from(key != "title" && !pairs.is_empty());
            pairs.insert(at.min(pairs.len()), (key.to_string(), value.to_string()));
        }
        None => {}
    }
}
