//! The `fountainai` command line over the core (see `cli/`).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Reply};
use fountainai::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            // --help and --version
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => return fail(&Error::invalid(err.render().to_string().trim().to_string())),
    };
    fountainai::logging::init();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return fail(&Error::Io(format!("cannot start the runtime: {err}"))),
    };
    match runtime.block_on(cli::execute(cli)) {
        Ok(Reply::Written) => ExitCode::SUCCESS,
        Ok(Reply::Json(value)) => {
            let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
            let _ = writeln!(std::io::stdout(), "{text}");
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err),
    }
}

fn fail(err: &Error) -> ExitCode {
    let text = serde_json::to_string(err).unwrap_or_else(|_| err.to_string());
    let _ = writeln!(std::io::stderr(), "{text}");
    ExitCode::from(cli::exit_code(err))
}
