//! `fountainai script …`: Core Script Management's scripts.

use clap::Subcommand;
use fountainai::response::{Deleted, DeletedId};
use fountainai::scripts::{self, NewScript, ScriptQuery, ScriptUpdate};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum ScriptCmd {
    Create {
        #[arg(long)]
        title: String,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    List {
        #[arg(long)]
        limit: Option<i64>,
        #[arg(long)]
        offset: Option<i64>,
        /// Only scripts whose title contains this (any case).
        #[arg(long)]
        title: Option<String>,
        /// Only scripts whose author contains this (any case).
        #[arg(long)]
        author: Option<String>,
    },
    Get {
        script_id: i64,
    },
    Update {
        script_id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        author: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    Delete {
        script_id: i64,
    },
}

impl ScriptCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            ScriptCmd::Create {
                title,
                author,
                description,
            } => {
                let new = NewScript {
                    title,
                    author,
                    description,
                };
                reply(scripts::create_script(db, new).await?)
            }
            ScriptCmd::List {
                limit,
                offset,
                title,
                author,
            } => {
                let query = ScriptQuery {
                    limit,
                    offset,
                    title,
                    author,
                };
                reply(scripts::list_scripts(db, &query).await?)
            }
            ScriptCmd::Get { script_id } => reply(scripts::get_script(db, script_id).await?),
            ScriptCmd::Update {
                script_id,
                title,
                author,
                description,
            } => {
                let update = ScriptUpdate {
                    title,
                    author,
                    description,
                };
                reply(scripts::update_script(db, script_id, update).await?)
            }
            ScriptCmd::Delete { script_id } => {
                scripts::delete_script(db, script_id).await?;
                reply(Deleted::from(DeletedId::ScriptId(script_id)))
            }
        }
    }
}
