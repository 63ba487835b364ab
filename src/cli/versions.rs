//! `fountainai version …`: snapshots of a script, section, character or element.

use clap::Subcommand;
use fountainai::response::{VersionCreated, VersionRestored};
use fountainai::sequence::{self, ElementType};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum VersionCmd {
    Create {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
        #[arg(long, default_value = "")]
        comment: String,
    },
    List {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
    },
    Show {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
        version: i64,
    },
    Diff {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
        from: i64,
        to: i64,
    },
    /// Restores a version (the state before is kept as a version too).
    Restore {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
        version: i64,
    },
}

impl VersionCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            VersionCmd::Create {
                element_type: ty,
                element_id,
                comment,
            } => {
                let version = sequence::create_version(db, ty, element_id, &comment).await?;
                reply(VersionCreated::from(version))
            }
            VersionCmd::List {
                element_type,
                element_id,
            } => reply(sequence::list_versions(db, element_type, element_id).await?),
            VersionCmd::Show {
                element_type: ty,
                element_id,
                version,
            } => reply(sequence::get_version(db, ty, element_id, version).await?),
            VersionCmd::Diff {
                element_type: ty,
                element_id,
                from,
                to,
            } => reply(sequence::diff_versions(db, ty, element_id, from, to).await?),
            VersionCmd::Restore {
                element_type: ty,
                element_id,
                version,
            } => {
                let new = sequence::restore_version(db, ty, element_id, version).await?;
                reply(VersionRestored::new(&new, version))
            }
        }
    }
}
