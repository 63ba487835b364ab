//! The one way the app and the CLI write a file: into a temp file beside it, fsynced, then
//! renamed over the real name, so a crash or a kill at any moment leaves the old file or the
//! new one under that name, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_through(path, |temp| {
        std::fs::File::create(temp)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
    })
}

/// Lets `write` make the file at a temp path beside `path` (for writers that want a path:
/// a WAV writer, an outside tool, SQLite's `VACUUM INTO`), then syncs it and renames it over
/// `path`. Nothing is left under either name when `write` fails.
pub fn write_through(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let temp = temp_beside(path)?;
    let written = write(&temp);
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    finish(&temp, path)
}

/// Syncs the complete file at `temp` and renames it over `path` (the last step of
/// [`write_through`], for writers that are async); `temp` is removed when that fails.
pub fn finish(temp: &Path, path: &Path) -> Result<()> {
    let io = |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", path.display()));
    let written = std::fs::File::open(temp)
        .and_then(|file| file.sync_all())
        .and_then(|()| std::fs::rename(temp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(temp);
        return Err(io(e));
    }
    sync_folder(path);
    Ok(())
}

/// A temp file's name in `path`'s folder, unique per process and write, so two writes of one
/// file never share one. Hidden and ending in `.tmp`, so no reader takes it for the real file.
pub fn temp_beside(path: &Path) -> Result<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} names no file", path.display())))?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    Ok(folder(path).join(format!(
        ".{}.{}-{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The rename itself is durable once the folder is synced; not every system allows it.
fn sync_folder(path: &Path) {
    if let Ok(dir) = std::fs::File::open(folder(path)) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("script.fountain");
        write_atomically(&path, b"old").unwrap();
        let failed = write_through(&path, |temp| {
            std::fs::write(temp, b"half")?;
            Err(Error::Io("disk full".into()))
        });
        assert_eq!(failed.unwrap_err().code(), "io");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }
}
