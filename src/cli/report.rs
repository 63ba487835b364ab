//! `fountainai report`: the script's figures per character, scene and location, with totals.

use std::io::Write;

use clap::Args;
use fountainai::story::report::{self, ReportTable};
use fountainai::{Database, Error, Result};

use super::{reply, Reply};

#[derive(Args, Debug)]
pub struct ReportCmd {
    script_id: i64,
    /// The session whose moods the scenes show.
    #[arg(long)]
    session: Option<i64>,
    /// Print one table as CSV instead of the whole report as JSON.
    #[arg(long, value_enum)]
    csv: Option<ReportTable>,
}

impl ReportCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        let figures = report::report(db, self.script_id, self.session).await?;
        let Some(table) = self.csv else {
            return reply(figures);
        };
        std::io::stdout()
            .write_all(report::csv(&figures, table).as_bytes())
            .map_err(|e| Error::Io(format!("cannot write the CSV: {e}")))?;
        Ok(Reply::Written)
    }
}
