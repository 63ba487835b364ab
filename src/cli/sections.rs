//! `fountainai section …`: the section headings (scenes) of a script.

use clap::Subcommand;
use fountainai::response::{Deleted, DeletedId};
use fountainai::scripts;
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum SectionCmd {
    Add {
        script_id: i64,
        #[arg(long)]
        title: String,
    },
    List {
        script_id: i64,
    },
    Get {
        heading_id: i64,
    },
    Update {
        heading_id: i64,
        #[arg(long)]
        title: String,
    },
    Delete {
        heading_id: i64,
    },
    /// Puts sections in order: --order 3,1,2 (unnamed sections follow in their old order).
    Reorder {
        script_id: i64,
        #[arg(long, value_delimiter = ',', required = true)]
        order: Vec<i64>,
    },
}

impl SectionCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            SectionCmd::Add { script_id, title } => {
                reply(scripts::add_section(db, script_id, &title).await?)
            }
            SectionCmd::List { script_id } => reply(scripts::list_sections(db, script_id).await?),
            SectionCmd::Get { heading_id } => reply(scripts::get_section(db, heading_id).await?),
            SectionCmd::Update { heading_id, title } => {
                reply(scripts::update_section(db, heading_id, &title).await?)
            }
            SectionCmd::Delete { heading_id } => {
                scripts::delete_section(db, heading_id).await?;
                reply(Deleted::from(DeletedId::HeadingId(heading_id)))
            }
            SectionCmd::Reorder { script_id, order } => {
                reply(scripts::reorder_sections(db, script_id, &order).await?)
            }
        }
    }
}
