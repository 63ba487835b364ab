// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod closing;
mod cmd;
mod orchestration;
mod transfer;

use fountainai::Database;

fn main() {
    let started = std::time::Instant::now();
    skip_software_gl();
    fountainai::logging::init();
    let app = with_commands(app(open_database(), started))
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = app {
        tracing::error!(%error, "the app stopped with an error");
        eprintln!("FountainAI Studio stopped: {error}");
        std::process::exit(1);
    }
}

/// The database, or the end of the process with the reason: the app has nothing to show without it.
fn open_database() -> Database {
    match tauri::async_runtime::block_on(Database::open_default()) {
        Ok(db) => db,
        Err(error) => {
            tracing::error!(%error, "cannot open the database");
            eprintln!("FountainAI Studio cannot open its database: {error}");
            std::process::exit(1);
        }
    }
}

/// The app's plugins, menu, window handling and state.
fn app(db: Database, started: std::time::Instant) -> tauri::Builder<tauri::Wry> {
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
        .manage(cmd::Started(started))
}

/// The commands the web UI calls; `src-tauri/commands.rs` lists them again for their permissions.
fn with_commands(app: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    app.invoke_handler(tauri::generate_handler![
        cmd::script_create,
        cmd::script_list,
        cmd::script_get,
        cmd::script_update,
        cmd::script_delete,
        cmd::section_add,
        cmd::section_list,
        cmd::section_update,
        cmd::section_delete,
        cmd::section_reorder,
        cmd::element_add,
        cmd::element_list,
        cmd::element_update,
        cmd::element_delete,
        cmd::element_move,
        cmd::character_create,
        cmd::character_list,
        cmd::character_update,
        cmd::character_delete,
        cmd::character_lines,
        cmd::paraphrase_add,
        cmd::paraphrase_list,
        cmd::paraphrase_promote,
        cmd::paraphrase_delete,
        cmd::session_create,
        cmd::session_list,
        cmd::session_update,
        cmd::session_delete,
        cmd::context_get,
        cmd::context_set,
        cmd::context_delete,
        cmd::sequence_generate,
        cmd::sequence_reorder,
        cmd::version_create,
        cmd::version_list,
        cmd::version_get,
        cmd::version_diff,
        cmd::version_restore,
        cmd::story_full,
        cmd::story_sequences,
        cmd::story_validate,
        cmd::example_load,
        cmd::setting_get,
        cmd::setting_set,
        cmd::app_ready,
        closing::app_close,
        // music
        cmd::music_moods,
        cmd::music_score,
        cmd::music_orchestrate,
        cmd::music_sheet_png,
        cmd::music_render_audio,
        // ui branch: scenes that undo whole, screenplays in and out
        cmd::section_remove,
        cmd::section_restore,
        cmd::screenplay_fountain_text,
        cmd::screenplay_sync,
        transfer::screenplay_import_dialog,
        transfer::screenplay_export_dialog,
        transfer::screenplay_launch_import,
    ])
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
