//! `fountainai moods …`: the mood table, and moods suggested from a script's text.

use clap::{Args, Subcommand};
use fountainai::story::moods::{self, MoodDecision, MoodReview};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct MoodsCmd {
    /// Without a subcommand: the mood table the composer reads.
    #[command(subcommand)]
    action: Option<MoodsAction>,
}

#[derive(Subcommand, Debug)]
pub enum MoodsAction {
    /// Suggests every scene's mood from its text into the script's "Suggested moods" session
    /// (created if missing) or --session; a mood the writer set stays.
    Suggest {
        script_id: i64,
        #[arg(long)]
        session: Option<i64>,
    },
    /// Every scene's mood and suggestion (confidence, evidence) under a session.
    List { session_id: i64 },
    /// Accepts, sets or clears a scene's mood (--section), or accepts or clears every
    /// suggestion still standing (no --section).
    Review {
        session_id: i64,
        #[arg(value_enum)]
        decision: MoodDecision,
        #[arg(long)]
        section: Option<i64>,
        /// The mood for `set`.
        #[arg(long)]
        mood: Option<String>,
    },
}

impl MoodsCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self.action {
            None => super::music::moods(),
            Some(MoodsAction::Suggest { script_id, session }) => {
                reply(moods::suggest(db, script_id, session).await?)
            }
            Some(MoodsAction::List { session_id }) => reply(moods::list(db, session_id).await?),
            Some(MoodsAction::Review {
                session_id,
                decision,
                section,
                mood,
            }) => {
                let review = MoodReview {
                    session_id,
                    heading_id: section,
                    decision,
                    mood,
                };
                reply(moods::review(db, &review).await?)
            }
        }
    }
}
