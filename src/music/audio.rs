//! Placeholder with the agreed signature; the `music-render` branch brings the real synth.

use std::path::Path;

use super::Score;
use crate::error::{Error, Result};

pub fn render_wav(_score: &Score, _soundfont: &Path, _wav: &Path) -> Result<()> {
    Err(Error::Io(
        "audio rendering is not built in this branch".into(),
    ))
}
