//! The transport: one live session's player and the output the writer chose (the speakers or a
//! MIDI port), for the app and anything else that plays, pauses and records for a while. The
//! speakers are opened once, the first time they are wanted, and kept open for the
//! transport's life (closing the stream stops the sound); a port is connected when playing
//! starts, by id and then by name, so a remembered port is found again after a restart.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::midi_in::{self, RecordOptions, Recording};
use super::midi_out::MidiOut;
use super::player::{self, Command, Player, Report, StartAt};
use super::ports::Port;
use super::preview::Speakers;
use super::{panic, Output};
use crate::error::{Error, Result};
use crate::music::leitmotif::Leitmotif;
use crate::music::Score;

/// Where the music goes.
#[derive(ts_rs::TS, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum OutputChoice {
    /// The preview voice through the default audio device.
    #[default]
    Speakers,
    /// A MIDI output port, found again by its id, else by its name.
    Port(Port),
}

/// What the transport is set to, for the UI's picker and clock toggle.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransportState {
    pub output: OutputChoice,
    pub clock: bool,
    pub recording: bool,
}

/// A command for the music that is playing.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TransportCommand {
    Pause,
    Resume,
    Stop,
    /// Stops and resets every channel of the output, also when nothing plays.
    Panic,
    Seek {
        seconds: f64,
    },
    /// Repeats the cue with this name while playing; None plays on.
    Loop {
        cue: Option<String>,
    },
    /// MIDI clock on the chosen port: at once while playing, and from the next play on.
    Clock {
        on: bool,
    },
}

/// A take turned into a leitmotif.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recorded {
    pub leitmotif: Leitmotif,
    /// Notes struck in the take (chords count every key).
    pub notes: usize,
    /// Why thru stopped forwarding, if it did.
    pub thru_error: Option<String>,
}

type Listener = Arc<dyn Fn(&Report) + Send + Sync>;

pub struct Transport {
    soundfont: PathBuf,
    listener: Listener,
    /// Opened once and kept: dropping the stream would stop the sound.
    speakers: Mutex<Option<Speakers>>,
    session: Mutex<Session>,
}

#[derive(Default)]
struct Session {
    output: OutputChoice,
    clock: bool,
    player: Option<Player>,
    /// The score the player plays, for the cues a loop names.
    score: Option<Score>,
    recording: Option<(Recording, RecordOptions)>,
}

impl Transport {
    /// A transport with the speakers chosen; `listener` hears every report of every player.
    pub fn new(soundfont: PathBuf, listener: impl Fn(&Report) + Send + Sync + 'static) -> Self {
        Transport {
            soundfont,
            listener: Arc::new(listener),
            speakers: Mutex::new(None),
            session: Mutex::new(Session::default()),
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding the lock left plain data behind: still usable.
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn state(&self) -> TransportState {
        let session = self.session();
        TransportState {
            output: session.output.clone(),
            clock: session.clock,
            recording: session.recording.is_some(),
        }
    }

    /// Takes the writer's choice without connecting (a remembered port that is not plugged in
    /// yet is looked for again when playing starts).
    pub fn remember(&self, output: OutputChoice) {
        self.session().output = output;
    }

    /// Switches to `output`, connecting it now so a wrong choice is told at once; music that
    /// plays goes on there without composing again.
    pub fn choose(&self, output: OutputChoice) -> Result<TransportState> {
        let connected = self.open(&output)?;
        {
            let mut session = self.session();
            if let Some(player) = session.player.as_ref().filter(|p| p.is_running()) {
                player.send(Command::Switch(connected))?;
            }
            session.output = output;
        }
        Ok(self.state())
    }

    /// Plays `score` on the chosen output from `start`; the seconds it starts at.
    pub fn play(&self, score: &Score, start: &StartAt) -> Result<f64> {
        let from = player::start_seconds(score, start)?;
        let mut session = self.session();
        // The old player stops (releasing its notes) before the new one starts.
        session.player = None;
        let output = self.open(&session.output)?;
        let options = player::Options {
            clock: session.clock,
        };
        let (player, reports) = Player::start(score, output, options)?;
        let listener = Arc::clone(&self.listener);
        // Ends when the player does (its report channel closes).
        std::thread::Builder::new()
            .name("live-reports".into())
            .spawn(move || reports.iter().for_each(|r| listener(&r)))?;
        player.send(Command::Play(from))?;
        session.player = Some(player);
        session.score = Some(score.clone());
        Ok(from)
    }

    /// Plays a leitmotif alone on `program`, for the writer to hear a take.
    pub fn audition(&self, motif: &Leitmotif, program: u8) -> Result<f64> {
        motif.validate()?;
        let score = crate::music::leitmotif::audition(motif, program);
        self.play(&score, &StartAt::Seconds { seconds: 0.0 })
    }

    pub fn obey(&self, command: TransportCommand) -> Result<TransportState> {
        let mut session = self.session();
        let running = session.player.as_ref().filter(|p| p.is_running());
        match (command, running) {
            (TransportCommand::Clock { on }, running) => {
                if let Some(player) = running {
                    player.send(Command::Clock(on))?;
                }
                session.clock = on;
            }
            (TransportCommand::Panic, None) => {
                let mut output = self.open(&session.output)?;
                panic(output.as_mut())?;
            }
            (TransportCommand::Loop { cue }, Some(player)) => {
                let span = match (&cue, &session.score) {
                    (Some(name), Some(score)) => Some(player::cue_span(score, name)?),
                    _ => None,
                };
                player.send(Command::Loop(span))?;
            }
            (command, Some(player)) => player.send(match command {
                TransportCommand::Pause => Command::Pause,
                TransportCommand::Resume => Command::Resume,
                TransportCommand::Seek { seconds } => Command::Seek(seconds),
                TransportCommand::Panic => Command::Panic,
                _ => Command::Stop,
            })?,
            // Nothing plays: nothing to stop, pause or loop.
            (_, None) => {}
        }
        drop(session);
        Ok(self.state())
    }

    /// Starts recording from the input port with this id or name, thru to the chosen output,
    /// after the count-in (clicks on the output); returns once recording has begun.
    pub fn record(&self, input: &str, options: RecordOptions) -> Result<TransportState> {
        let output = self.session().output.clone();
        if self.session().recording.is_some() {
            return Err(Error::conflict(
                "A take is being recorded already: stop it first.",
            ));
        }
        // Without a device the take can still be recorded, only not heard; a count-in must be.
        let thru = match self.open(&output) {
            Ok(thru) => Some(thru),
            Err(err) if options.count_in_beats > 0 => return Err(err),
            Err(_) => None,
        };
        // Not under the lock: the count-in takes seconds and the transport stays responsive.
        let recording = Recording::start(input, &options, thru)?;
        self.session().recording = Some((recording, options));
        Ok(self.state())
    }

    /// Ends the take and quantises it to the grid asked for when it started.
    pub fn finish_recording(&self) -> Result<Recorded> {
        let (recording, options) = self
            .session()
            .recording
            .take()
            .ok_or_else(|| Error::invalid("Nothing is being recorded."))?;
        let take = recording.finish();
        let leitmotif = midi_in::quantise(&take, &options)?;
        Ok(Recorded {
            leitmotif,
            notes: take.notes.len(),
            thru_error: take.thru_error,
        })
    }

    /// A fresh connection to `output`.
    fn open(&self, output: &OutputChoice) -> Result<Box<dyn Output>> {
        match output {
            OutputChoice::Speakers => {
                let mut speakers = self.speakers.lock().unwrap_or_else(|e| e.into_inner());
                if speakers.is_none() {
                    *speakers = Some(Speakers::open(&self.soundfont)?);
                }
                let preview = speakers.as_ref().map(Speakers::output);
                preview
                    .map(|p| Box::new(p) as Box<dyn Output>)
                    .ok_or_else(|| Error::device("The speakers did not open."))
            }
            OutputChoice::Port(port) => Ok(Box::new(connect(port)?)),
        }
    }
}

/// The port with this id, else one with this name (ALSA numbers clients anew each session).
pub fn connect(port: &Port) -> Result<MidiOut> {
    match MidiOut::connect(&port.id) {
        Err(err) if err.code() == "not_found" && port.name != port.id => {
            MidiOut::connect(&port.name)
        }
        connected => connected,
    }
}
