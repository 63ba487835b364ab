//! `fountainai line add`: a line of dialogue (a spoken word) in a section.

use clap::Subcommand;
use fountainai::response::LineAdded;
use fountainai::scripts::{self, ElementKind};
use fountainai::{Database, Result};

use super::args::Position;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum LineCmd {
    Add {
        heading_id: i64,
        #[arg(long)]
        character: i64,
        #[arg(long)]
        text: String,
        #[arg(long)]
        parenthetical: Option<String>,
        #[command(flatten)]
        at: Position,
    },
}

impl LineCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let LineCmd::Add {
            heading_id,
            character,
            text,
            parenthetical,
            at,
        } = self;
        let new = at.element(ElementKind::Dialogue, text, Some(character), parenthetical);
        let line = scripts::add_element(db, heading_id, new).await?;
        reply(LineAdded::from(line))
    }
}
