//! `fountainai bundle export | import | inspect`: a whole story as one `.fountainai` file.

use std::path::PathBuf;

use clap::Subcommand;
use fountainai::bundle::{self, ExportOptions};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum BundleCmd {
    /// Writes the story bundle: manifest, story, document, screenplay (Fountain, FDX, PDF) and
    /// score (MIDI, LilyPond, Csound); with --render also score.pdf and preview.wav where the
    /// tools are there (the reply lists what was skipped and why).
    Export {
        script_id: i64,
        #[arg(long)]
        session: Option<i64>,
        #[arg(long)]
        render: bool,
        #[arg(short = 'o', long = "output", value_name = "FILE.fountainai")]
        output: PathBuf,
    },
    /// Creates a new script from a bundle (or a Highland 2 .highland file) after checking it
    /// whole; a refused file changes nothing.
    Import { file: PathBuf },
    /// Prints the manifest and whether the bundle passes every check, without importing it.
    Inspect { file: PathBuf },
}

impl BundleCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            BundleCmd::Export {
                script_id,
                session,
                render,
                output,
            } => {
                let options = ExportOptions {
                    session_id: session,
                    render,
                };
                let mut log = |p| tracing::info!(?p, "bundle export");
                reply(bundle::export_file(db, script_id, &options, &output, &mut log).await?)
            }
            BundleCmd::Import { file } => reply(bundle::import_file(db, &file).await?),
            BundleCmd::Inspect { file } => reply(bundle::inspect(&file)?),
        }
    }
}
