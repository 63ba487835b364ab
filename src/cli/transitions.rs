//! `fountainai transition add`: a transition in a section.

use clap::Subcommand;
use fountainai::scripts::{self, ElementKind};
use fountainai::{Database, Result};

use super::args::Position;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum TransitionCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        text: String,
        #[command(flatten)]
        at: Position,
    },
}

impl TransitionCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let TransitionCmd::Add {
            heading_id,
            text,
            at,
        } = self;
        let new = at.element(ElementKind::Transition, text, None, None);
        reply(scripts::add_element(db, heading_id, new).await?)
    }
}
