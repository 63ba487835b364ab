//! `fountainai setting …`: what the app remembers between runs.

use clap::Subcommand;
use fountainai::settings;
use fountainai::{Database, Result};
use serde_json::Value;

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum SettingCmd {
    Get {
        key: String,
    },
    /// Stores a JSON value (`null` forgets the key); plain text is stored as a string.
    Set {
        key: String,
        value: String,
    },
}

impl SettingCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            SettingCmd::Get { key } => reply(settings::get_setting(db, &key).await?),
            SettingCmd::Set { key, value } => {
                let value = serde_json::from_str(&value).unwrap_or(Value::String(value));
                reply(settings::set_setting(db, &key, &value).await?)
            }
        }
    }
}
