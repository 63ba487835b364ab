//! `fountainai element …`: any element of a section, of any kind.

use clap::Subcommand;
use fountainai::response::{Deleted, DeletedId};
use fountainai::scripts::{self, ElementKind, ElementUpdate, MoveElement};
use fountainai::{Database, Result};

use super::args::Position;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum ElementCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        kind: ElementKind,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        character: Option<i64>,
        #[arg(long)]
        parenthetical: Option<String>,
        #[command(flatten)]
        at: Position,
    },
    List {
        heading_id: i64,
    },
    Get {
        element_id: i64,
    },
    Update {
        element_id: i64,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        character: Option<i64>,
        /// An empty value removes the parenthetical.
        #[arg(long)]
        parenthetical: Option<String>,
    },
    Delete {
        element_id: i64,
    },
    Move {
        element_id: i64,
        #[arg(long)]
        position: i64,
        /// Move into this section (of the same script).
        #[arg(long)]
        section: Option<i64>,
    },
}

impl ElementCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            ElementCmd::Add {
                heading_id,
                kind,
                text,
                character,
                parenthetical,
                at,
            } => {
                let new = at.element(kind, text, character, parenthetical);
                reply(scripts::add_element(db, heading_id, new).await?)
            }
            ElementCmd::List { heading_id } => reply(scripts::list_elements(db, heading_id).await?),
            ElementCmd::Get { element_id } => reply(scripts::get_element(db, element_id).await?),
            ElementCmd::Update {
                element_id,
                text,
                character,
                parenthetical,
            } => {
                let update = ElementUpdate {
                    text,
                    character_id: character,
                    parenthetical,
                };
                reply(scripts::update_element(db, element_id, update).await?)
            }
            ElementCmd::Delete { element_id } => {
                scripts::delete_element(db, element_id).await?;
                reply(Deleted::from(DeletedId::ElementId(element_id)))
            }
            ElementCmd::Move {
                element_id,
                position,
                section,
            } => {
                let to = MoveElement {
                    heading_id: section,
                    position,
                };
                reply(scripts::move_element(db, element_id, to).await?)
            }
        }
    }
}
