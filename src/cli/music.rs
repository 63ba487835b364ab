//! `fountainai orchestrate`, `moods` and `render-audio`: the story's score.

use std::path::PathBuf;

use clap::Args;
use fountainai::music::moods;
use fountainai::progress::Progress;
use fountainai::story::orchestrate;
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct OrchestrateCmd {
    script_id: i64,
    #[arg(long)]
    session: Option<i64>,
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[arg(long)]
    render: bool,
}

impl OrchestrateCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let dir = match self.out {
            Some(dir) => dir,
            None => orchestrate::default_dir(self.script_id, self.session)?,
        };
        let options = orchestrate::Options {
            render: self.render,
        };
        let mut progress = |p: Progress| {
            tracing::info!(step = %p.step, done = p.done, total = p.total, "orchestrate");
        };
        let score = orchestrate::orchestrate(
            db,
            self.script_id,
            self.session,
            &dir,
            &options,
            &mut progress,
        )
        .await?;
        reply(score)
    }
}

/// The mood table the composer reads.
pub fn moods() -> Result<Reply> {
    reply(moods::MOODS)
}

#[derive(Args, Debug)]
pub struct RenderAudioCmd {
    script_id: i64,
    #[arg(long, value_name = "FILE.wav")]
    out: PathBuf,
    #[arg(long)]
    session: Option<i64>,
    /// The SoundFont (.sf2); default: $FOUNTAINAI_SOUNDFONT, else the shipped sf_GMbank.sf2.
    #[arg(long, value_name = "FILE")]
    soundfont: Option<PathBuf>,
}

impl RenderAudioCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let preview =
            orchestrate::preview(db, self.script_id, self.session, &self.out, self.soundfont)
                .await?;
        reply(preview)
    }
}
