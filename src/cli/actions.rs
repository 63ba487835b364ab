//! `fountainai action add`: an action in a section.

use clap::Subcommand;
use fountainai::response::ActionAdded;
use fountainai::scripts::{self, ElementKind};
use fountainai::{Database, Result};

use super::args::Position;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum ActionCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        text: String,
        /// The character who performs the action, if any.
        #[arg(long)]
        character: Option<i64>,
        #[command(flatten)]
        at: Position,
    },
}

impl ActionCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let ActionCmd::Add {
            heading_id,
            text,
            character,
            at,
        } = self;
        let new = at.element(ElementKind::Action, text, character, None);
        let action = scripts::add_element(db, heading_id, new).await?;
        reply(ActionAdded::from(action))
    }
}
