//! `fountainai text`, `merge`, `draft`, `remove` and `restore`: the editor's twins beyond the
//! sync (the text with its revision, the merge after a conflict, crash drafts) and the
//! deletions that undo whole.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use fountainai::{characters, drafts, screenplay, scripts, sessions};
use fountainai::{Database, Error, Result};
use serde_json::Value;

use super::screenplay::read_input;
use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct TextCmd {
    script_id: i64,
}

impl TextCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        reply(screenplay::editor_text(db, self.script_id).await?)
    }
}

/// A text file, or - for standard input, as UTF-8.
fn read_text(file: &Path) -> Result<String> {
    let bytes = read_input(file)?;
    screenplay::decode(&bytes).map(str::to_string)
}

#[derive(Args, Debug)]
pub struct MergeCmd {
    script_id: i64,
    /// The writer's text (a file, or - for standard input).
    file: PathBuf,
    /// The text the writer's text was written from (what the editor had loaded).
    #[arg(long, value_name = "FILE")]
    base: PathBuf,
    /// The script's revision the base text was loaded at: when the script is still there the
    /// text is saved as it is, otherwise merged (the editor's save).
    #[arg(long, value_name = "N")]
    base_revision: Option<i64>,
}

impl MergeCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let text = read_text(&self.file)?;
        let base_text = read_text(&self.base)?;
        let Some(base_revision) = self.base_revision else {
            return reply(screenplay::merge_text(db, self.script_id, &base_text, &text).await?);
        };
        let save = screenplay::EditorSave {
            text,
            base_text,
            base_revision,
        };
        reply(screenplay::save_text(db, self.script_id, &save).await?)
    }
}

#[derive(Subcommand, Debug)]
pub enum DraftCmd {
    /// The script's kept draft, or null.
    Get { script_id: i64 },
    /// Keeps a draft: the unsaved text (a file or -), the text and revision it started from.
    Save {
        script_id: i64,
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        base: PathBuf,
        #[arg(long, value_name = "N")]
        base_revision: i64,
    },
    /// Forgets the script's draft.
    Clear { script_id: i64 },
}

impl DraftCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            DraftCmd::Get { script_id } => reply(drafts::get_draft(db, script_id).await?),
            DraftCmd::Save {
                script_id,
                file,
                base,
                base_revision,
            } => {
                let (text, base) = (read_text(&file)?, read_text(&base)?);
                reply(drafts::save_draft(db, script_id, &text, &base, base_revision).await?)
            }
            DraftCmd::Clear { script_id } => {
                drafts::clear_draft(db, script_id).await?;
                reply(Value::Null)
            }
        }
    }
}

/// What `remove` takes away whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Removable {
    Section,
    Element,
    Character,
    Session,
}

#[derive(Args, Debug)]
pub struct RemoveCmd {
    #[arg(value_enum)]
    what: Removable,
    id: i64,
}

impl RemoveCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self.what {
            Removable::Section => reply(scripts::remove_section(db, self.id).await?),
            Removable::Element => reply(scripts::remove_element_whole(db, self.id).await?),
            Removable::Character => reply(characters::remove_character(db, self.id).await?),
            Removable::Session => reply(sessions::remove_session(db, self.id).await?),
        }
    }
}

#[derive(Args, Debug)]
pub struct RestoreCmd {
    /// What `fountainai remove` printed (a file, or - for standard input).
    file: PathBuf,
}

impl RestoreCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let removed: Value = serde_json::from_str(&read_text(&self.file)?)
            .map_err(|e| Error::invalid(format!("not what `fountainai remove` printed: {e}")))?;
        if removed.get("section").is_some() {
            reply(scripts::restore_section(db, &parse(removed)?).await?)
        } else if removed.get("element").is_some() {
            reply(scripts::restore_element(db, &parse(removed)?).await?)
        } else if removed.get("character").is_some() {
            reply(characters::restore_character(db, &parse(removed)?).await?)
        } else if removed.get("session").is_some() {
            reply(sessions::restore_session(db, &parse(removed)?).await?)
        } else {
            Err(Error::invalid(
                "not what `fountainai remove` printed: no section, element, character or session",
            ))
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::invalid(e.to_string()))
}
