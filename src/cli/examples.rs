//! `fountainai example` and `fountainai load`: whole script documents into the database.

use std::path::PathBuf;

use clap::Args;
use fountainai::document::{self, ScriptDocument};
use fountainai::examples;
use fountainai::{Database, Error, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct ExampleCmd {
    // A name, not a clap choice: an unknown example is `not_found`, as in the app.
    name: String,
    /// Pages of the generated feature script (1 to 10000).
    #[arg(long, default_value_t = 120)]
    pages: usize,
}

impl ExampleCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let doc = if self.name == "feature" {
            examples::feature(self.pages)?
        } else {
            examples::by_name(&self.name)?
        };
        reply(document::load_document(db, &doc).await?)
    }
}

#[derive(Args, Debug)]
pub struct LoadCmd {
    file: PathBuf,
}

impl LoadCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let file = &self.file;
        let bytes = fountainai::screenplay::read_import(file)?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| Error::invalid(format!("{} is not UTF-8 text", file.display())))?;
        reply(document::load_document(db, &ScriptDocument::from_json(text)?).await?)
    }
}
