//! Screenplays in and out of the app: import and export commands that report progress, the
//! native file dialogs (opened here, so the web UI needs no dialog permission), the File menu,
//! and a file named on the command line.

use std::path::{Path, PathBuf};

use fountainai::bundle::{self, BundleExported, ExportOptions};
use fountainai::progress::Progress;
use fountainai::screenplay::pdf::PdfOptions;
use fountainai::screenplay::{self, FileExported, Format, ImportSummary};
use fountainai::watch::{self, LinkedFile};
use fountainai::{Database, Error};
use tauri::menu::{Menu, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::{DialogExt, FilePath};

type Result<T> = std::result::Result<T, Error>;

/// Sends the `progress` event.
fn progress<R: Runtime>(app: &AppHandle<R>, task: &str, step: &str, done: u32, total: u32) {
    let event = Progress::new(task, step, done, total);
    if let Err(error) = app.emit("progress", event) {
        tracing::warn!(%error, "progress event not sent");
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[tracing::instrument(skip(app, db), err)]
async fn import<R: Runtime>(
    app: &AppHandle<R>,
    db: &Database,
    path: &Path,
) -> Result<ImportSummary> {
    let task = format!("Importing {}", file_name(path));
    progress(app, &task, "reading", 0, 1);
    let result = fountainai::bundle::import_any(db, path).await;
    progress(
        app,
        &task,
        if result.is_ok() { "done" } else { "failed" },
        1,
        1,
    );
    result
}

#[tracing::instrument(skip(app, db), err)]
async fn export<R: Runtime>(
    app: &AppHandle<R>,
    db: &Database,
    script_id: i64,
    format: Format,
    pdf: &PdfOptions,
    path: &Path,
) -> Result<FileExported> {
    let task = format!("Exporting {}", file_name(path));
    progress(app, &task, "writing", 0, 1);
    let result = screenplay::export_to(db, script_id, format, pdf, path).await;
    progress(
        app,
        &task,
        if result.is_ok() { "done" } else { "failed" },
        1,
        1,
    );
    result
}

/// Asks for a screenplay file; imports it. None when the writer cancelled.
#[tauri::command]
pub async fn screenplay_import_dialog<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
) -> Result<Option<ImportSummary>> {
    let Some(path) = pick_import(&app).await? else {
        return Ok(None);
    };
    import(&app, &db, &path).await.map(Some)
}

/// Asks where to save; exports there (a PDF with `pdf`'s paper, watermark and header). What was
/// written (for a PDF, its pages and the characters it could not print), or None when the
/// writer cancelled.
#[tauri::command]
pub async fn screenplay_export_dialog<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
    script_id: i64,
    format: Format,
    pdf: Option<PdfOptions>,
) -> Result<Option<FileExported>> {
    let title = fountainai::scripts::get_script(&db, script_id).await?.title;
    let Some(path) = pick_export(&app, &title, format).await? else {
        return Ok(None);
    };
    let pdf = pdf.unwrap_or_default();
    export(&app, &db, script_id, format, &pdf, &path)
        .await
        .map(Some)
}

fn local(path: Option<FilePath>) -> Result<Option<PathBuf>> {
    path.map(|p| {
        p.into_path()
            .map_err(|e| Error::invalid(format!("not a local file: {e}")))
    })
    .transpose()
}

async fn pick_import<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>> {
    let dialog = app
        .dialog()
        .file()
        .set_title("Import a screenplay")
        .add_filter(
            "Screenplays and story bundles",
            &["fountain", "spmd", "txt", "fdx", "fountainai", "highland"],
        );
    // The dialog runs on the main thread; wait for it off the async workers.
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| Error::Io(format!("the file dialog failed: {e}")))?;
    local(picked)
}

/// The file extension and dialog filter name of a format.
fn extension(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Fountain => ("fountain", "Fountain"),
        Format::Fdx => ("fdx", "Final Draft"),
        Format::Pdf => ("pdf", "PDF"),
    }
}

async fn pick_export<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    format: Format,
) -> Result<Option<PathBuf>> {
    pick_save(app, "Export the screenplay", title, extension(format)).await
}

/// Set, every save dialog answers with this folder instead of asking: for automation (the
/// end-to-end tests drive the real buttons, and a native dialog cannot be driven).
const SAVE_DIR: &str = "FOUNTAINAI_SAVE_DIR";

/// Asks where to save a file of the Reports view (a chart as SVG or PNG, a table as CSV, made
/// by the UI or the core); writes `data` there atomically. The path, or None when cancelled.
#[tauri::command]
pub async fn report_save_dialog<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    data: Vec<u8>,
) -> Result<Option<String>> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    let kind = match ext {
        "svg" => ("svg", "SVG image"),
        "png" => ("png", "PNG image"),
        "csv" => ("csv", "CSV table"),
        _ => {
            return Err(Error::invalid(format!(
                "{name}: a report saves as .svg, .png or .csv"
            )))
        }
    };
    let Some(path) = pick_save(&app, "Save from the report", stem, kind).await? else {
        return Ok(None);
    };
    fountainai::files::write_atomically(&path, &data)?;
    Ok(Some(path.display().to_string()))
}

/// A save dialog for a file named after the script's title, with one extension.
async fn pick_save<R: Runtime>(
    app: &AppHandle<R>,
    dialog_title: &str,
    title: &str,
    (ext, kind): (&'static str, &'static str),
) -> Result<Option<PathBuf>> {
    let name: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let file_name = format!("{}.{ext}", name.trim());
    if let Some(folder) = std::env::var_os(SAVE_DIR) {
        return Ok(Some(PathBuf::from(folder).join(file_name)));
    }
    let dialog = app
        .dialog()
        .file()
        .set_title(dialog_title)
        .set_file_name(file_name)
        .add_filter(kind, &[ext]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::Io(format!("the file dialog failed: {e}")))?;
    local(picked)
}

// ---- story bundles and linked files -------------------------------------------------------

/// Writes the story bundle of a script to `path`, with `progress` events.
#[tauri::command]
pub async fn bundle_export<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
    script_id: i64,
    session_id: Option<i64>,
    path: PathBuf,
) -> Result<BundleExported> {
    let options = ExportOptions {
        session_id,
        render: false,
    };
    let mut report = |p: Progress| {
        if let Err(error) = app.emit("progress", p) {
            tracing::warn!(%error, "progress event not sent");
        }
    };
    bundle::export_file(&db, script_id, &options, &path, &mut report).await
}

/// Asks where to save the story bundle; writes it there. None when the writer cancelled.
#[tauri::command]
pub async fn bundle_export_dialog<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<Option<BundleExported>> {
    let title = fountainai::scripts::get_script(&db, script_id).await?.title;
    let kind = ("fountainai", "Story bundle");
    let Some(path) = pick_save(&app, "Export the story bundle", &title, kind).await? else {
        return Ok(None);
    };
    bundle_export(app, db, script_id, session_id, path)
        .await
        .map(Some)
}

/// Ties a script to a .fountain file (written from the script when it does not exist yet).
#[tauri::command]
pub async fn script_link(
    db: State<'_, Database>,
    script_id: i64,
    path: PathBuf,
) -> Result<LinkedFile> {
    watch::link(&db, script_id, &path).await
}

/// Asks for the .fountain file to link the script to. None when the writer cancelled.
#[tauri::command]
pub async fn script_link_dialog<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
    script_id: i64,
) -> Result<Option<LinkedFile>> {
    let title = fountainai::scripts::get_script(&db, script_id).await?.title;
    let kind = ("fountain", "Fountain");
    let Some(path) = pick_save(&app, "Link the script to a file", &title, kind).await? else {
        return Ok(None);
    };
    watch::link(&db, script_id, &path).await.map(Some)
}

#[tauri::command]
pub async fn script_unlink(db: State<'_, Database>, script_id: i64) -> Result<LinkedFile> {
    watch::unlink(&db, script_id).await
}

/// The file a script follows, if any.
#[tauri::command]
pub async fn script_linked(db: State<'_, Database>, script_id: i64) -> Result<Option<LinkedFile>> {
    watch::linked(&db, script_id).await
}

// ---- the File menu -----------------------------------------------------------------------

pub fn menu<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let export = SubmenuBuilder::new(app, "Export")
        .item(&MenuItemBuilder::with_id("export-fountain", "Fountain…").build(app)?)
        .item(&MenuItemBuilder::with_id("export-fdx", "Final Draft…").build(app)?)
        .item(&MenuItemBuilder::with_id("export-pdf", "PDF…").build(app)?)
        .build()?;
    let file = SubmenuBuilder::new(app, "File")
        .item(
            &MenuItemBuilder::with_id("new-script", "New Script")
                .accelerator("CmdOrCtrl+N")
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("import", "Import…")
                .accelerator("CmdOrCtrl+O")
                .build(app)?,
        )
        .item(&export)
        .item(&MenuItemBuilder::with_id("export-bundle", "Export Story Bundle…").build(app)?)
        .item(&MenuItemBuilder::with_id("link-file", "Link to File…").build(app)?)
        .separator()
        .item(&MenuItemBuilder::with_id("open-room", "Open Writers' Room…").build(app)?)
        .item(&MenuItemBuilder::with_id("open-local", "Open Local Library").build(app)?)
        .separator()
        .item(&MenuItemBuilder::with_id("restore-backup", "Restore From Backup…").build(app)?)
        .separator()
        .item(
            &MenuItemBuilder::with_id("quit", "Quit")
                .accelerator("CmdOrCtrl+Q")
                .build(app)?,
        )
        .build()?;
    Menu::with_items(app, &[&file])
}

pub fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref().to_string();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let db = app.state::<Database>();
        let outcome = match id.as_str() {
            // Like the window's close button: the UI saves first.
            "quit" => crate::closing::quit(&app),
            "import" => match pick_import(&app).await {
                Ok(Some(path)) => open_imported(&app, &db, &path).await,
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            },
            // New script, exports, linking and rooms: the UI knows the open script and saves the editor first.
            other => app
                .emit("menu", other)
                .map_err(|e| Error::Io(e.to_string())),
        };
        if let Err(error) = outcome {
            tracing::error!(%error, menu = %id, "menu action failed");
            let _ = app.emit("app-error", &error);
        }
    });
}

/// Imports a file and tells the UI to open the new script.
async fn open_imported<R: Runtime>(app: &AppHandle<R>, db: &Database, path: &Path) -> Result<()> {
    let summary = import(app, db, path).await?;
    app.emit("open-script", summary.script_id)
        .map_err(|e| Error::Io(e.to_string()))
}

// ---- a file on the command line ----------------------------------------------------------

/// The first argument that names a screenplay file.
pub fn launch_file() -> Option<PathBuf> {
    std::env::args_os().skip(1).map(PathBuf::from).find(|p| {
        matches!(
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("fountain" | "spmd" | "fdx" | "fountainai" | "highland")
        )
    })
}

/// The file named on the command line, until the UI has asked for it to be imported.
pub struct LaunchFile(pub std::sync::Mutex<Option<PathBuf>>);

/// Called by the UI once it is ready: imports the launch file (once) so the UI can open it.
#[tauri::command]
pub async fn screenplay_launch_import<R: Runtime>(
    app: AppHandle<R>,
    db: State<'_, Database>,
    launch: State<'_, LaunchFile>,
) -> Result<Option<ImportSummary>> {
    let path = launch.0.lock().ok().and_then(|mut file| file.take());
    match path {
        Some(path) => import(&app, &db, &path).await.map(Some),
        None => Ok(None),
    }
}

// ---- linked files ------------------------------------------------------------------------

/// The watcher `fountainai watch` runs, while the app is open: what it does reaches the UI as
/// the event `linked-file`, so an outside edit shows in the open Script view.
pub fn watch_linked_files<R: Runtime>(app: AppHandle<R>) {
    let db = app.state::<Database>().inner().clone();
    tauri::async_runtime::spawn(async move {
        let watcher = match fountainai::watch::Watcher::new(db) {
            Ok(watcher) => watcher,
            Err(error) => {
                tracing::warn!(%error, "linked files are not followed");
                return;
            }
        };
        let stopped = watcher
            .run(|event| {
                if let Err(error) = app.emit("linked-file", event) {
                    tracing::warn!(%error, "linked-file event not sent");
                }
            })
            .await;
        if let Err(error) = stopped {
            tracing::error!(%error, "the linked-file watcher stopped");
        }
    });
}
