//! MIDI ports: listed with a stable id and a name, chosen by id then by name (ALSA client
//! numbers change between sessions, names do not), and watched for hot-plug, which midir does
//! not report: the list is read again every second.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use midir::{MidiIO, MidiInput, MidiInputPort, MidiOutput, MidiOutputPort};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The name our clients have in the MIDI system (what a patchbay shows).
pub const CLIENT_NAME: &str = "FountainAI Studio";
pub const WATCH_INTERVAL: Duration = Duration::from_secs(1);

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Port {
    /// midir's `id()`: ALSA "client:port", JACK the full port name.
    pub id: String,
    pub name: String,
}

#[derive(ts_rs::TS, Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ports {
    pub outputs: Vec<Port>,
    pub inputs: Vec<Port>,
}

/// Why midir could not start, as the writer should read it.
pub(crate) fn no_midi_system(err: midir::InitError) -> Error {
    let hint = if cfg!(feature = "jack") {
        "is a JACK server running?"
    } else if cfg!(target_os = "linux") {
        "the ALSA sequencer (/dev/snd/seq) is missing"
    } else {
        "the system's MIDI service did not answer"
    };
    Error::device(format!("No MIDI system on this machine: {err} ({hint})."))
}

pub(crate) fn midi_output(client: &str) -> Result<MidiOutput> {
    MidiOutput::new(client).map_err(no_midi_system)
}

pub(crate) fn midi_input(client: &str) -> Result<MidiInput> {
    MidiInput::new(client).map_err(no_midi_system)
}

/// Ports of one direction, sorted by name then id so the list reads the same each time.
pub(crate) fn ports_of<T: MidiIO>(io: &T, id: impl Fn(&T::Port) -> String) -> Vec<(Port, T::Port)> {
    let mut ports: Vec<(Port, T::Port)> = io
        .ports()
        .into_iter()
        .filter_map(|port| {
            let name = io.port_name(&port).ok()?;
            Some((
                Port {
                    id: id(&port),
                    name,
                },
                port,
            ))
        })
        .collect();
    ports.sort_by(|a, b| a.0.cmp(&b.0));
    ports
}

pub(crate) fn output_ports(io: &MidiOutput) -> Vec<(Port, MidiOutputPort)> {
    ports_of(io, MidiOutputPort::id)
}

pub(crate) fn input_ports(io: &MidiInput) -> Vec<(Port, MidiInputPort)> {
    ports_of(io, MidiInputPort::id)
}

/// Every MIDI output and input port on this machine.
pub fn list() -> Result<Ports> {
    let outputs = output_ports(&midi_output(CLIENT_NAME)?);
    let inputs = input_ports(&midi_input(CLIENT_NAME)?);
    Ok(Ports {
        outputs: outputs.into_iter().map(|(port, _)| port).collect(),
        inputs: inputs.into_iter().map(|(port, _)| port).collect(),
    })
}

/// The port the writer asked for: the one with that id, else the one with that name.
pub(crate) fn choose<P>(mut ports: Vec<(Port, P)>, wanted: &str, what: &str) -> Result<(Port, P)> {
    let by_id = ports.iter().position(|(port, _)| port.id == wanted);
    let by_name = || ports.iter().position(|(port, _)| port.name == wanted);
    match by_id.or_else(by_name) {
        Some(index) => Ok(ports.swap_remove(index)),
        None => {
            let known: Vec<&str> = ports.iter().map(|(port, _)| port.name.as_str()).collect();
            Err(Error::not_found(format!(
                "No MIDI {what} port {wanted:?} (there are: {}).",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )))
        }
    }
}

/// Watches the port list on its own thread and calls `changed` with the new list whenever a
/// port comes or goes. Dropping the watch stops the thread.
pub struct PortWatch {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl PortWatch {
    pub fn start(
        interval: Duration,
        mut changed: impl FnMut(&Ports) + Send + 'static,
    ) -> Result<PortWatch> {
        let mut last = list()?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("midi-port-watch".into())
            .spawn(move || loop {
                match stopped.recv_timeout(interval) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
                // A MIDI system that went away lists nothing, as the writer would see it.
                let now = list().unwrap_or_default();
                if now != last {
                    changed(&now);
                    last = now;
                }
            })?;
        Ok(PortWatch {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for PortWatch {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
