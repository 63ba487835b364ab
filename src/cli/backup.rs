//! `fountainai backup list | create | restore FILE`: the database's rotating backups.

use std::path::PathBuf;

use clap::Subcommand;
use fountainai::backup;
use fountainai::{Database, Error, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// The backups, newest first, with their dates and script counts.
    List,
    /// Makes a backup now (and rotates: the last 20 kept, plus one a day for 14 days).
    Create,
    /// Replaces the database with a backup, after saving the current one as a backup (a
    /// database that cannot be opened is moved aside into backups/ instead).
    Restore { file: PathBuf },
}

impl BackupCmd {
    /// Runs on the database file itself, so the backups can be listed and restored while
    /// the database cannot be opened.
    pub async fn run(self, db: Option<PathBuf>) -> Result<Reply> {
        let file = match db {
            Some(file) => file,
            None => fountainai::db::default_file()?
                .ok_or_else(|| Error::invalid("backups are kept only for a database in a file"))?,
        };
        match self {
            BackupCmd::List => reply(backup::list(&file).await?),
            BackupCmd::Create => {
                let db = Database::open(&file).await?;
                let made = backup::create(&db).await;
                db.close().await;
                reply(made?)
            }
            BackupCmd::Restore { file: from } => match Database::open(&file).await {
                Ok(db) => {
                    let restored = backup::restore(&db, &from).await;
                    db.close().await;
                    reply(restored?)
                }
                Err(Error::Database(_) | Error::Conflict(_)) => {
                    reply(backup::recover(&file, &from).await?)
                }
                Err(other) => Err(other),
            },
        }
    }
}
