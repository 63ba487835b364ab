//! `fountainai session …`: sessions, the interpretations of a script.

use clap::Subcommand;
use fountainai::response::{Deleted, DeletedId};
use fountainai::sessions::{self, NewSession, SessionUpdate};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum SessionCmd {
    Create {
        #[arg(long)]
        user_id: Option<i64>,
        /// The script this session interprets.
        #[arg(long)]
        script: Option<i64>,
        #[arg(long)]
        context: Option<String>,
    },
    List {
        #[arg(long)]
        script: Option<i64>,
    },
    Get {
        session_id: i64,
    },
    Update {
        session_id: i64,
        #[arg(long)]
        user_id: Option<i64>,
        #[arg(long)]
        context: Option<String>,
    },
    Delete {
        session_id: i64,
    },
}

impl SessionCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            SessionCmd::Create {
                user_id,
                script,
                context,
            } => {
                let new = NewSession {
                    user_id,
                    script_id: script,
                    context,
                };
                reply(sessions::create_session(db, new).await?)
            }
            SessionCmd::List { script } => reply(sessions::list_sessions(db, script).await?),
            SessionCmd::Get { session_id } => reply(sessions::get_session(db, session_id).await?),
            SessionCmd::Update {
                session_id,
                user_id,
                context,
            } => {
                let update = SessionUpdate { user_id, context };
                reply(sessions::update_session(db, session_id, update).await?)
            }
            SessionCmd::Delete { session_id } => {
                sessions::delete_session(db, session_id).await?;
                reply(Deleted::from(DeletedId::SessionId(session_id)))
            }
        }
    }
}
