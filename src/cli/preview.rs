//! `fountainai preview`: a script's score through the speakers, with the shipped SoundFont.

use std::path::PathBuf;

use clap::Args;
use fountainai::live::preview;
use fountainai::music::audio;
use fountainai::story::orchestrate;
use fountainai::{Database, Result};

use super::args::Start;
use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct PreviewCmd {
    script_id: i64,
    #[arg(long)]
    session: Option<i64>,
    #[command(flatten)]
    start: Start,
    /// Stop after this many seconds (default: play to the end).
    #[arg(long, value_name = "N")]
    seconds: Option<f64>,
    /// The SoundFont (.sf2); default: $FOUNTAINAI_SOUNDFONT, else the shipped sf_GMbank.sf2.
    #[arg(long, value_name = "FILE")]
    soundfont: Option<PathBuf>,
}

impl PreviewCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let score = orchestrate::score(db, self.script_id, self.session).await?;
        let from = self.start.seconds(&score)?;
        let soundfont = self.soundfont.unwrap_or_else(audio::default_soundfont);
        reply(preview::play(
            &score,
            &soundfont,
            from,
            self.seconds,
            &mut |_| {},
        )?)
    }
}
