//! `fountainai paraphrase …`: the alts of a character, an action or a spoken word.

use clap::{Subcommand, ValueEnum};
use fountainai::characters;
use fountainai::response::{Deleted, DeletedId};
use fountainai::sequence::ElementType;
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum ParaphraseCmd {
    Add {
        #[arg(ignore_case = true)]
        original_type: Original,
        original_id: i64,
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "")]
        commentary: String,
    },
    List {
        #[arg(ignore_case = true)]
        original_type: Original,
        original_id: i64,
    },
    /// Makes the paraphrase the text in use; the old text becomes the paraphrase.
    Promote {
        paraphrase_id: i64,
    },
    Delete {
        paraphrase_id: i64,
    },
}

/// What can have paraphrases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Original {
    Character,
    Action,
    #[value(name = "spokenWord", alias = "dialogue")]
    SpokenWord,
}

impl From<Original> for ElementType {
    fn from(original: Original) -> Self {
        match original {
            Original::Character => ElementType::Character,
            Original::Action => ElementType::Action,
            Original::SpokenWord => ElementType::SpokenWord,
        }
    }
}

impl ParaphraseCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            ParaphraseCmd::Add {
                original_type,
                original_id,
                text,
                commentary,
            } => {
                let ty = original_type.into();
                reply(characters::add_paraphrase(db, ty, original_id, &text, &commentary).await?)
            }
            ParaphraseCmd::List {
                original_type,
                original_id,
            } => {
                let ty = original_type.into();
                reply(characters::list_paraphrases(db, ty, original_id).await?)
            }
            ParaphraseCmd::Promote { paraphrase_id } => {
                reply(characters::promote_paraphrase(db, paraphrase_id).await?)
            }
            ParaphraseCmd::Delete { paraphrase_id } => {
                characters::delete_paraphrase(db, paraphrase_id).await?;
                reply(Deleted::from(DeletedId::ParaphraseId(paraphrase_id)))
            }
        }
    }
}
