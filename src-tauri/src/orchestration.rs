//! The orchestration folder in the app's data directory: where the app writes a script's score
//! files, and the only place the UI may read sheet music from.

use std::path::Path;

use base64::Engine as _;
use fountainai::progress::Progress;
use fountainai::story::orchestrate::{self, Options, Preview, ScoreFiles};
use fountainai::{Database, Error};
use tauri::{AppHandle, Emitter};

type Result<T> = std::result::Result<T, Error>;

/// Composes and writes the score files into the script's folder, forwarding each step to the
/// UI as the event `progress`. The core's progress callback is not `Send`, so the work runs on
/// a blocking thread of the app's runtime (which also keeps LilyPond and Csound off its workers).
#[tracing::instrument(skip_all, err)]
pub async fn run(
    app: AppHandle,
    db: Database,
    script_id: i64,
    session_id: Option<i64>,
    render: bool,
) -> Result<ScoreFiles> {
    let dir = orchestrate::default_dir(script_id, session_id)?;
    let work = move || {
        let mut forward = |p: Progress| {
            // A closed window is no reason to stop writing the files.
            let _ = app.emit("progress", p);
        };
        let options = Options { render };
        tauri::async_runtime::handle().block_on(orchestrate::orchestrate(
            &db,
            script_id,
            session_id,
            &dir,
            &options,
            &mut forward,
        ))
    };
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(format!("the orchestration stopped: {e}")))?
}

/// The audio preview, written next to the script's score files as preview.wav.
pub async fn preview(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<Preview> {
    let wav = orchestrate::default_dir(script_id, session_id)?.join("preview.wav");
    orchestrate::preview(db, script_id, session_id, &wav, None).await
}

/// A PNG page of sheet music as base64, for an `<img>` data: URL. Refuses anything outside
/// `root` (after resolving `..` and links) and anything that is not a PNG.
#[tracing::instrument(skip_all, err)]
pub fn sheet_png(root: &Path, path: &Path) -> Result<String> {
    let outside = || Error::invalid("only sheet music in the orchestration folder can be shown");
    let root = root.canonicalize().map_err(|_| outside())?;
    let file = path.canonicalize().map_err(|_| outside())?;
    let is_png = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !file.starts_with(&root) || !is_png {
        return Err(outside());
    }
    let bytes = std::fs::read(&file)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_music_is_read_only_from_the_orchestration_folder() {
        let data = tempfile::tempdir().expect("temp dir");
        let root = data.path().join("orchestration");
        let folder = root.join("script-1-session-none");
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("score.png"), b"\x89PNG").expect("png");
        std::fs::write(folder.join("score.ly"), b"\\version").expect("ly");
        std::fs::write(data.path().join("secret.png"), b"secret").expect("outside");

        assert_eq!(
            sheet_png(&root, &folder.join("score.png")).expect("inside"),
            "iVBORw=="
        );
        for refused in [
            data.path().join("secret.png"),
            folder.join("../../secret.png"),
            folder.join("score.ly"),
            folder.join("missing.png"),
        ] {
            let err = sheet_png(&root, &refused).expect_err("refused");
            assert_eq!(err.code(), "invalid_input", "{}", refused.display());
        }
    }
}
