// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod backups;
mod closing;
mod cmd;
mod editing;
mod live;
mod orchestration;
mod room;
mod transfer;

use fountainai::Database;

include!("../commands.rs");

/// Registers every command of commands.rs.
macro_rules! handler {
    ($($module:ident :: $name:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

fn main() {
    let started = std::time::Instant::now();
    skip_software_gl();
    fountainai::logging::init();
    let context = tauri::generate_context!("../tauri.conf.json");
    let note = room::Note::default();
    let db = match tauri::async_runtime::block_on(room::open_library(&note)) {
        Ok(db) => db,
        Err(error) => backups::offer_recovery(error, context),
    };
    let app = with_commands(app(db, note, started)).run(context);
    if let Err(error) = app {
        tracing::error!(%error, "the app stopped with an error");
        eprintln!("FountainAI Studio stopped: {error}");
        std::process::exit(1);
    }
}

/// The app's plugins, menu, window handling and state.
fn app(db: Database, note: room::Note, started: std::time::Instant) -> tauri::Builder<tauri::Wry> {
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .menu(transfer::menu)
        .on_menu_event(transfer::on_menu)
        .on_window_event(closing::on_window_event)
        .manage(closing::Closing::default())
        .manage(transfer::LaunchFile(std::sync::Mutex::new(
            transfer::launch_file(),
        )))
        .manage(db)
        .manage(note)
        .manage(room::Following::default())
        .manage(cmd::Started(started))
        // One setup: a second `setup` call would replace the first.
        .setup(|app| {
            transfer::watch_linked_files(app.handle().clone());
            backups::keep_automatic(app.handle());
            live::setup(app);
            room::show_in_title(app.handle());
            room::follow_changes(app.handle());
            Ok(())
        })
}

/// The commands the web UI calls: every entry of `commands.rs`, which also makes their permissions.
fn with_commands(app: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    app.invoke_handler(app_commands!(handler))
}

/// Without a GPU render node every GL context would run on Mesa's software driver, which links
/// LLVM (about 20 MB per process that loads it). WebKit's compositing on it costs about 90 MB and
/// more CPU for a page of text and forms that WebKit paints well without it. With compositing
/// off, three more probes would load the driver for nothing: WebKit's UI process asking EGL for
/// a render device (there is none), its DMA-BUF renderer check, and GTK's GLX check. Runs first,
/// before any thread exists; a user's own setting of any of these wins, and a user who turns
/// compositing back on gets WebKit's GL set-up untouched.
fn skip_software_gl() {
    if !cfg!(target_os = "linux") || has_render_node() {
        return;
    }
    set_default("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|v| v == "0") {
        return;
    }
    set_default("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    // Naming the device skips the EGL query; WebKit only opens it for GPU buffers, which a
    // non-composited page never asks for.
    set_default("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null");
    set_default("GDK_GL", "disable");
}

fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|dir| {
            dir.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

fn set_default(key: &str, value: &str) {
    if std::env::var_os(key).is_none() {
        std::env::set_var(key, value);
    }
}
