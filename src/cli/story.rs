//! `fountainai story …`: Story Factory's assembled story and its validation report.

use clap::Subcommand;
use fountainai::story::{self, StoryRequest};
use fountainai::{characters, scripts};
use fountainai::{Database, Error, Result};

use super::args::parse_pair;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum StoryCmd {
    /// getFullStory.
    Full {
        script_id: i64,
        #[arg(long)]
        session: Option<i64>,
        /// Only this character's items (id or name).
        #[arg(long)]
        character: Option<String>,
        /// Only items whose context has key=value.
        #[arg(long, value_parser = parse_pair)]
        context: Option<(String, String)>,
    },
    /// getStorySequences: items start..=end.
    Sequences {
        script_id: i64,
        #[arg(long)]
        start: i64,
        #[arg(long)]
        end: i64,
        #[arg(long)]
        session: Option<i64>,
    },
    /// The validation report: gaps, duplicates, dangling references, silent characters.
    Validate { script_id: i64 },
}

impl StoryCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            StoryCmd::Full {
                script_id,
                session,
                character,
                context,
            } => {
                scripts::get_script(db, script_id).await?;
                let request = StoryRequest {
                    script_id,
                    session_id: session,
                    filter_by_character: character_filter(db, script_id, character).await?,
                    filter_by_context: context,
                };
                reply(story::get_full_story(db, &request).await?)
            }
            StoryCmd::Sequences {
                script_id,
                start,
                end,
                session,
            } => reply(story::get_story_sequences(db, script_id, start, end, session).await?),
            StoryCmd::Validate { script_id } => reply(story::validate_story(db, script_id).await?),
        }
    }
}

/// A character filter by id, or by name within the script.
async fn character_filter(
    db: &Database,
    script_id: i64,
    given: Option<String>,
) -> Result<Option<i64>> {
    let Some(given) = given else { return Ok(None) };
    if let Ok(id) = given.parse::<i64>() {
        return Ok(Some(id));
    }
    let found = characters::list_characters(db, script_id)
        .await?
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(given.trim()));
    found
        .map(|c| Some(c.character_id))
        .ok_or_else(|| Error::not_found(format!("No character named {given:?} in this script.")))
}
