//! Closing the window without losing the editor's last keystrokes (it saves 0.6 s after the
//! last one): the first close request goes to the UI, which saves what is unsaved and then
//! closes the window itself.

use std::sync::atomic::{AtomicBool, Ordering};

use fountainai::{Error, Result};
use tauri::{Emitter, Manager, Runtime, State, WebviewWindow, Window, WindowEvent};

/// A close request is with the UI and not answered yet.
#[derive(Default)]
pub struct Closing(AtomicBool);

/// The first request goes to the UI as the event `close-requested`. One made while the UI has
/// not answered (it hangs, or the writer insists) closes at once.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let pending = &window.state::<Closing>().0;
        if !pending.swap(true, Ordering::SeqCst) && window.emit("close-requested", ()).is_ok() {
            api.prevent_close();
        }
    }
}

/// The UI's answer: `quit` closes the window (everything is saved, or the writer has been told
/// what is not); otherwise the window stays and the next request asks the UI again.
#[tauri::command]
pub fn app_close<R: Runtime>(
    window: WebviewWindow<R>,
    closing: State<'_, Closing>,
    quit: bool,
) -> Result<()> {
    closing.0.store(false, Ordering::SeqCst);
    if quit {
        window.destroy().map_err(|e| Error::Io(e.to_string()))?;
    }
    Ok(())
}

/// File → Quit: the same path as the window's close button.
pub fn quit<R: Runtime>(app: &tauri::AppHandle<R>) -> Result<()> {
    match app.get_webview_window("main") {
        Some(window) => window.close().map_err(|e| Error::Io(e.to_string())),
        None => {
            app.exit(0);
            Ok(())
        }
    }
}
