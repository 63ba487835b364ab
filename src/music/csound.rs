//! Placeholder with the agreed signature; the `music-render` branch brings the real writer.

use super::Score;

pub fn write(score: &Score) -> String {
    format!(
        "<CsoundSynthesizer>\n; {} (placeholder)\n</CsoundSynthesizer>\n",
        score.title
    )
}
