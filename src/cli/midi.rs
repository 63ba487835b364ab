//! `fountainai midi …`: the score played on a MIDI port, a leitmotif recorded from a keyboard,
//! the ports there are, and the panic button.

use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};
use fountainai::characters::{self, CharacterUpdate};
use fountainai::live::midi_in::{self, RecordOptions};
use fountainai::live::midi_out::MidiOut;
use fountainai::live::{self, player, ports, Output};
use fountainai::story::orchestrate;
use fountainai::{Database, Result};
use serde_json::json;

use super::args::Start;
use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum MidiCmd {
    /// Lists the MIDI output and input ports: {outputs: [{id, name}], inputs: [...]}.
    Ports,
    /// Plays a script's score on an output port and returns when it has been played.
    Play(PlayCmd),
    /// Records from an input port for --seconds and prints the take as a leitmotif; with
    /// --character it becomes that character's leitmotif.
    Record(RecordCmd),
    /// Stops every note on every channel of an output port and resets its controllers.
    Panic {
        /// The output port's id or name.
        #[arg(long, value_name = "NAME_OR_ID")]
        port: String,
    },
}

#[derive(Args, Debug)]
pub struct PlayCmd {
    script_id: i64,
    /// The output port's id or name.
    #[arg(long, value_name = "NAME_OR_ID")]
    port: String,
    #[arg(long)]
    session: Option<i64>,
    #[command(flatten)]
    start: Start,
    /// Also send MIDI clock, start, stop and song position, so a sequencer can follow.
    #[arg(long)]
    clock: bool,
}

#[derive(Args, Debug)]
pub struct RecordCmd {
    /// The input port's id or name.
    #[arg(long, value_name = "NAME_OR_ID")]
    port: String,
    /// How long to record (up to 600 seconds).
    #[arg(long, value_name = "N")]
    seconds: f64,
    /// Save the leitmotif as this character's.
    #[arg(long, value_name = "ID")]
    character: Option<i64>,
    /// The note value onsets and lengths snap to: 8 (eighths), 4, 2 or 1 (whole notes).
    #[arg(long, value_enum, default_value = "8")]
    grid: Grid,
    /// Forward what is played to this output port as it arrives.
    #[arg(long, value_name = "PORT")]
    thru: Option<String>,
}

/// The grids a leitmotif can snap to (it counts in eighths, so nothing finer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Grid {
    #[value(name = "8")]
    Eighths,
    #[value(name = "4")]
    Quarters,
    #[value(name = "2")]
    Halves,
    #[value(name = "1")]
    Wholes,
}

impl Grid {
    fn note_value(self) -> u8 {
        match self {
            Grid::Eighths => 8,
            Grid::Quarters => 4,
            Grid::Halves => 2,
            Grid::Wholes => 1,
        }
    }
}

impl MidiCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            MidiCmd::Ports => reply(ports::list()?),
            MidiCmd::Play(cmd) => cmd.run(db).await,
            MidiCmd::Record(cmd) => cmd.run(db).await,
            MidiCmd::Panic { port } => {
                let mut out = MidiOut::connect(&port)?;
                live::panic(&mut out)?;
                reply(json!({ "port": out.port() }))
            }
        }
    }
}

impl PlayCmd {
    async fn run(self, db: &Database) -> Result<Reply> {
        let score = orchestrate::score(db, self.script_id, self.session).await?;
        let from = self.start.seconds(&score)?;
        let out = MidiOut::connect(&self.port)?;
        let port = out.port().clone();
        let options = player::Options { clock: self.clock };
        let started = Instant::now();
        player::play_through(&score, Box::new(out), from, options, &mut |_| {})?;
        reply(json!({
            "port": port,
            "fromSeconds": from,
            "seconds": started.elapsed().as_secs_f64(),
        }))
    }
}

impl RecordCmd {
    async fn run(self, db: &Database) -> Result<Reply> {
        let options = RecordOptions {
            grid: self.grid.note_value(),
            ..RecordOptions::default()
        };
        // Asked before recording, so a wrong id does not cost the writer a take.
        if let Some(id) = self.character {
            characters::get_character(db, id).await?;
        }
        let thru = match &self.thru {
            Some(port) => Some(Box::new(MidiOut::connect(port)?) as Box<dyn Output>),
            None => None,
        };
        let take = midi_in::record(&self.port, self.seconds, &options, thru)?;
        let leitmotif = midi_in::quantise(&take, &options)?;
        let character = match self.character {
            Some(id) => {
                let update = CharacterUpdate {
                    leitmotif: Some(Some(leitmotif.clone())),
                    ..CharacterUpdate::default()
                };
                Some(characters::update_character(db, id, update).await?)
            }
            None => None,
        };
        reply(json!({
            "leitmotif": leitmotif,
            "take": take,
            "character": character,
        }))
    }
}
