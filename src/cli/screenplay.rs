//! `fountainai parse`, `import`, `export` and `sync`: screenplays in and out, as Fountain, FDX
//! or PDF, and a script brought up to date with a Fountain text.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use fountainai::fountain;
use fountainai::screenplay::pages::Paper;
use fountainai::screenplay::pdf::PdfOptions;
use fountainai::screenplay::{self, Format};
use fountainai::{Database, Error, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct ParseCmd {
    file: PathBuf,
}

impl ParseCmd {
    pub fn run(self) -> Result<Reply> {
        let bytes = read_input(&self.file)?;
        // What import would refuse, parse refuses too.
        if let Some(at) = memchr::memchr(0, &bytes) {
            return Err(Error::invalid(format!(
                "the text contains a NUL character at byte offset {at}"
            )));
        }
        let screenplay =
            fountain::parse_bytes(&bytes).map_err(|e| Error::invalid(e.to_string()))?;
        reply(screenplay)
    }
}

#[derive(Args, Debug)]
pub struct ImportCmd {
    file: PathBuf,
}

impl ImportCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        if !is_stdio(&self.file) {
            return reply(screenplay::import_file(db, &self.file).await?);
        }
        let bytes = read_input(&self.file)?;
        let text = screenplay::decode(&bytes)?;
        // Standard input has no extension to go by: FDX is XML.
        let format = if text.trim_start().starts_with('<') {
            Format::Fdx
        } else {
            Format::Fountain
        };
        reply(screenplay::import_text(db, text, format).await?)
    }
}

#[derive(Args, Debug)]
pub struct ExportCmd {
    script_id: i64,
    #[arg(long, value_enum, ignore_case = true, default_value = "fountain")]
    format: FormatChoice,
    #[arg(short = 'o', long = "output", default_value = "-")]
    output: PathBuf,
    /// PDF: the paper (same layout rules; A4 holds 58 lines a page).
    #[arg(long, value_enum, ignore_case = true, default_value = "letter")]
    paper: Paper,
    /// PDF: a watermark printed across every page, e.g. DRAFT.
    #[arg(long)]
    watermark: Option<String>,
    /// PDF: a header line at the top left of every script page.
    #[arg(long)]
    header: Option<String>,
}

/// The export formats, as clap choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatChoice {
    Fountain,
    Fdx,
    Pdf,
}

impl From<FormatChoice> for Format {
    fn from(choice: FormatChoice) -> Self {
        match choice {
            FormatChoice::Fountain => Format::Fountain,
            FormatChoice::Fdx => Format::Fdx,
            FormatChoice::Pdf => Format::Pdf,
        }
    }
}

impl ExportCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let format = Format::from(self.format);
        if !is_stdio(&self.output) {
            let options = PdfOptions {
                paper: self.paper,
                watermark: self.watermark,
                header: self.header,
            };
            return reply(
                screenplay::export_to(db, self.script_id, format, &options, &self.output).await?,
            );
        }
        if format == Format::Pdf {
            return Err(Error::invalid(
                "PDF is binary: give a file with -o FILE instead of standard output",
            ));
        }
        let bytes = screenplay::export(db, self.script_id, format).await?;
        std::io::stdout().write_all(&bytes)?;
        Ok(Reply::Written)
    }
}

#[derive(Args, Debug)]
pub struct PagesCmd {
    script_id: i64,
    #[arg(long, value_enum, ignore_case = true, default_value = "letter")]
    paper: Paper,
}

impl PagesCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        reply(screenplay::pages(db, self.script_id, self.paper).await?)
    }
}

#[derive(Args, Debug)]
pub struct SyncCmd {
    script_id: i64,
    file: PathBuf,
    /// The script's revision the text was written against; when the script has moved on since,
    /// the sync is refused (`conflict`) and nothing changes.
    #[arg(long, value_name = "N")]
    base_revision: Option<i64>,
}

impl SyncCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let bytes = read_input(&self.file)?;
        let text = screenplay::decode(&bytes)?;
        reply(screenplay::sync_from(db, self.script_id, text, self.base_revision).await?)
    }
}

/// `-` names standard input or output.
fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub(super) fn read_input(file: &Path) -> Result<Vec<u8>> {
    if is_stdio(file) {
        return screenplay::read_capped(std::io::stdin(), "standard input");
    }
    screenplay::read_import(file)
}
