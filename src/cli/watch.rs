//! `fountainai link`, `unlink` and `watch`: a script following a .fountain file on disk.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use fountainai::watch::{self, Watcher};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct LinkCmd {
    script_id: i64,
    /// The .fountain file; written from the script if it does not exist yet.
    file: PathBuf,
}

impl LinkCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        reply(watch::link(db, self.script_id, &self.file).await?)
    }
}

#[derive(Args, Debug)]
pub struct UnlinkCmd {
    script_id: i64,
}

impl UnlinkCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        reply(watch::unlink(db, self.script_id).await?)
    }
}

#[derive(Args, Debug)]
pub struct WatchCmd {}

impl WatchCmd {
    /// Runs until interrupted, one JSON line per thing it did.
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let watcher = Watcher::new(db.clone())?;
        watcher
            .run(|event| {
                let mut out = std::io::stdout().lock();
                if let Ok(line) = serde_json::to_string(event) {
                    let _ = writeln!(out, "{line}");
                    let _ = out.flush();
                }
            })
            .await?;
        Ok(Reply::Written)
    }
}
