//! Runs the external engravers and synthesisers on files the back ends wrote: LilyPond for the
//! sheet music, Csound for its WAV. A tool not on PATH is `tool_missing`, naming its apt package.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tracing::instrument;

use crate::error::{Error, Result};

/// Lines of a failing tool's stderr kept in the error: enough to see its complaint.
const STDERR_TAIL_LINES: usize = 15;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetMusic {
    pub pdf: PathBuf,
    /// One PNG per page, in page order.
    pub pngs: Vec<PathBuf>,
}

/// Engraves `ly` into `out_dir` as `<stem>.pdf` and `<stem>.png` (or `<stem>-page1.png`, …).
#[instrument(skip_all, err, fields(ly = %ly.display()))]
pub fn sheet_music(ly: &Path, out_dir: &Path) -> Result<SheetMusic> {
    let lilypond = tool("lilypond", "lilypond")?;
    let stem = ly
        .file_stem()
        .and_then(OsStr::to_str)
        .ok_or_else(|| Error::invalid(format!("{} has no usable file name", ly.display())))?
        .to_string();
    fs::create_dir_all(out_dir)?;
    // Pages from an earlier, longer engraving must not pass for this one's.
    for png in pngs(out_dir, &stem) {
        fs::remove_file(png)?;
    }
    let mut command = Command::new(lilypond);
    command
        .args(["--pdf", "--png", "-dresolution=110", "-o"])
        .arg(out_dir.join(&stem))
        .arg(ly);
    run(command, "lilypond")?;
    let pdf = out_dir.join(format!("{stem}.pdf"));
    let pngs = pngs(out_dir, &stem);
    if !pdf.is_file() || pngs.is_empty() {
        return Err(Error::Io(format!(
            "lilypond wrote no PDF and PNG for {}",
            ly.display()
        )));
    }
    Ok(SheetMusic { pdf, pngs })
}

fn pngs(dir: &Path, stem: &str) -> Vec<PathBuf> {
    let single = dir.join(format!("{stem}.png"));
    if single.is_file() {
        return vec![single];
    }
    (1..)
        .map(|page| dir.join(format!("{stem}-page{page}.png")))
        .take_while(|path| path.is_file())
        .collect()
}

/// Renders a `.csd` to a WAV file with the command-line `csound`.
#[instrument(skip_all, err, fields(csd = %csd.display()))]
pub fn csound_wav(csd: &Path, wav: &Path) -> Result<()> {
    let csound = tool("csound", "csound")?;
    if let Some(dir) = wav.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    // -W writes WAV whatever the temp file's name ends in.
    crate::files::write_through(wav, |temp| {
        let mut command = Command::new(csound);
        command.args(["-W", "-d", "-o"]).arg(temp).arg(csd);
        run(command, "csound")
    })
}

/// The executable `name` on PATH, or `tool_missing` naming the apt package that provides it.
pub fn tool(name: &str, package: &str) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
        .ok_or_else(|| Error::ToolMissing {
            tool: name.into(),
            package: package.into(),
        })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

fn run(mut command: Command, name: &str) -> Result<()> {
    let output = command
        .output()
        .map_err(|e| Error::Io(format!("cannot run {name}: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join("\n");
    Err(Error::Io(format!(
        "{name} failed ({}):\n{tail}",
        output.status
    )))
}
