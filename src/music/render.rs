//! Placeholder with the agreed signatures; the `music-render` branch brings the real renderers.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub struct SheetMusic {
    pub pdf: PathBuf,
    pub pngs: Vec<PathBuf>,
}

pub fn sheet_music(_ly: &Path, _out_dir: &Path) -> Result<SheetMusic> {
    Err(Error::ToolMissing {
        tool: "lilypond".into(),
        package: "lilypond".into(),
    })
}

pub fn csound_wav(_csd: &Path, _wav: &Path) -> Result<()> {
    Err(Error::ToolMissing {
        tool: "csound".into(),
        package: "csound".into(),
    })
}
