//! `fountainai context …`: the contexts (mood, location, …) of a session.

use std::collections::BTreeMap;

use clap::Subcommand;
use fountainai::response::{Deleted, DeletedId};
use fountainai::sessions::{self, ContextTarget};
use fountainai::{Database, Result};

use super::args::parse_pair;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum ContextCmd {
    /// Sets key=value pairs on the context of a section, a character, both, or one element.
    Set {
        session_id: i64,
        #[arg(long)]
        section: Option<i64>,
        #[arg(long)]
        character: Option<i64>,
        #[arg(long)]
        element: Option<i64>,
        /// Keys to remove.
        #[arg(long)]
        unset: Vec<String>,
        #[arg(value_parser = parse_pair)]
        pairs: Vec<(String, String)>,
    },
    /// The session with all its contexts.
    Get {
        session_id: i64,
    },
    Delete {
        context_id: i64,
    },
}

impl ContextCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            ContextCmd::Set {
                session_id,
                section,
                character,
                element,
                unset,
                pairs,
            } => {
                let target = ContextTarget {
                    heading_id: section,
                    character_id: character,
                    element_id: element,
                };
                let data: BTreeMap<String, String> = pairs.into_iter().collect();
                reply(sessions::set_context(db, session_id, target, &data, &unset).await?)
            }
            ContextCmd::Get { session_id } => reply(sessions::get_context(db, session_id).await?),
            ContextCmd::Delete { context_id } => {
                sessions::delete_context(db, context_id).await?;
                reply(Deleted::from(DeletedId::ContextId(context_id)))
            }
        }
    }
}
