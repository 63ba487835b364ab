//! `fountainai room init URL | push SCRIPT_ID --to URL | pull SCRIPT_ID --from URL`: a
//! writers' room on a PostgreSQL server, and scripts copied between it and the local library.

use clap::Subcommand;
use fountainai::room;
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum RoomCmd {
    /// Creates the room's schema on the server and its two groups, <database>_writers and
    /// <database>_readers; prints how to add a user to each (`GRANT … TO alice`).
    Init { url: String },
    /// Copies a script of the local library (--db) into the room as a new script there.
    Push {
        script_id: i64,
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Copies a script of the room into the local library (--db) as a new script.
    Pull {
        script_id: i64,
        #[arg(long, value_name = "URL")]
        from: String,
    },
}

impl RoomCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            RoomCmd::Init { url } => reply(room::init(&url).await?),
            RoomCmd::Push { script_id, to } => {
                let room = Database::open_url(&to).await?;
                let copied = room::copy(db, script_id, &room).await;
                room.close().await;
                reply(copied?)
            }
            RoomCmd::Pull { script_id, from } => {
                let room = Database::open_url(&from).await?;
                let copied = room::copy(&room, script_id, db).await;
                room.close().await;
                reply(copied?)
            }
        }
    }
}
