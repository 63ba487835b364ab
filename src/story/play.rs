//! The story played live: a script's score composed from the database and handed to the
//! transport, and the output the writer chose remembered in the settings, so the app finds
//! their synth again the next time it starts.

use serde::Serialize;

use crate::db::Database;
use crate::error::Result;
use crate::live::player::StartAt;
use crate::live::transport::{OutputChoice, Transport, TransportState};
use crate::settings;

use super::orchestrate;

/// The settings key of the chosen output.
pub const OUTPUT_SETTING: &str = "liveOutput";

/// What started playing.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Playing {
    pub from_seconds: f64,
}

/// Composes the script's score under the session and plays it from `start`.
pub async fn play(
    db: &Database,
    transport: &Transport,
    script_id: i64,
    session_id: Option<i64>,
    start: &StartAt,
) -> Result<Playing> {
    let score = orchestrate::score(db, script_id, session_id).await?;
    let from_seconds = transport.play(&score, start)?;
    Ok(Playing { from_seconds })
}

/// Connects the output and remembers it; a choice that cannot connect is not remembered.
pub async fn choose_output(
    db: &Database,
    transport: &Transport,
    output: OutputChoice,
) -> Result<TransportState> {
    let state = transport.choose(output.clone())?;
    settings::set_setting(db, OUTPUT_SETTING, &serde_json::to_value(&output)?).await?;
    Ok(state)
}

/// The remembered output (the speakers when none was, or it is unreadable), taken by the
/// transport without connecting: a port that is not plugged in yet is looked for at play.
pub async fn restore_output(db: &Database, transport: &Transport) -> Result<OutputChoice> {
    let stored = settings::get_setting(db, OUTPUT_SETTING).await?;
    let output: OutputChoice = serde_json::from_value(stored).unwrap_or_default();
    transport.remember(output.clone());
    Ok(output)
}
