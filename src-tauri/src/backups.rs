//! The database's backups in the app: made automatically while it runs, listed and restored
//! from File → Restore From Backup…, and offered when the database cannot be opened.

use std::path::PathBuf;

use fountainai::backup::{self, Backup, Restored};
use fountainai::{Database, Error};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn backup_list(db: State<'_, Database>) -> Result<Vec<Backup>> {
    backup::list_of(&db).await
}

#[tauri::command]
pub async fn backup_create(db: State<'_, Database>) -> Result<Backup> {
    backup::create(&db).await
}

/// Replaces the library with the backup at `path`, after saving the current one as a backup.
#[tauri::command]
pub async fn backup_restore(db: State<'_, Database>, path: PathBuf) -> Result<Restored> {
    backup::restore(&db, &path).await
}

/// One backup when the app starts (if anything changed since the last), then at most every
/// ten minutes while something changes. Started from the app's one `setup`.
pub fn keep_automatic<R: Runtime>(app: &AppHandle<R>) {
    let db = app.state::<Database>().inner().clone();
    // A writers' room is backed up by its server's owner, not by each writer's app.
    if db.room_url().is_some() {
        return;
    }
    tauri::async_runtime::spawn(backup::keep_automatic(db));
}

/// The app's start when its database cannot be opened: no window, only the reason and, when
/// there is a good backup, the offer to open it (the database that failed is moved aside, never
/// overwritten) and start again.
pub fn offer_recovery(error: Error, context: tauri::Context<tauri::Wry>) -> ! {
    let Ok(Some(file)) = fountainai::db::default_file() else {
        stop(&error);
    };
    let good = tauri::async_runtime::block_on(backup::latest_good(&file))
        .ok()
        .flatten();
    let mut context = context;
    context.config_mut().app.windows.clear();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || ask(&handle, &file, &error, good));
            Ok(())
        })
        .run(context);
    if let Err(e) = app {
        tracing::error!(error = %e, "the recovery dialog failed");
    }
    std::process::exit(1)
}

fn ask<R: Runtime>(
    app: &AppHandle<R>,
    file: &std::path::Path,
    error: &Error,
    good: Option<Backup>,
) {
    let dialog = app
        .dialog()
        .message(offer_text(error, good.as_ref()))
        .title("FountainAI Studio cannot open its library")
        .kind(MessageDialogKind::Error);
    let Some(good) = good else {
        dialog
            .buttons(MessageDialogButtons::OkCustom("Quit".into()))
            .blocking_show();
        app.exit(1);
        return;
    };
    let open = dialog
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Open the Backup".into(),
            "Quit".into(),
        ))
        .blocking_show();
    if !open {
        app.exit(1);
        return;
    }
    let recovered =
        tauri::async_runtime::block_on(backup::recover(file, std::path::Path::new(&good.path)));
    match recovered {
        Ok(_) => app.restart(),
        Err(e) => {
            app.dialog()
                .message(format!("The backup could not be opened either: {e}"))
                .kind(MessageDialogKind::Error)
                .blocking_show();
            app.exit(1);
        }
    }
}

/// What the writer reads: why, and what the offer does.
pub fn offer_text(error: &Error, good: Option<&Backup>) -> String {
    match good {
        Some(b) => format!(
            "{error}\n\nThe latest good backup is from {} with {} script(s). Open it? The library \
             that cannot be opened is kept in the backups folder, unchanged.",
            b.created_at,
            b.scripts.unwrap_or(0)
        ),
        None => format!("{error}\n\nThere is no good backup to open."),
    }
}

fn stop(error: &Error) -> ! {
    tracing::error!(%error, "cannot open the database");
    eprintln!("FountainAI Studio cannot open its database: {error}");
    std::process::exit(1)
}
