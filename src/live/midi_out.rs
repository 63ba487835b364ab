//! MIDI out: a connection to one output port (a hardware synth over USB, a soft synth, JACK),
//! the player's `Output` when the writer picks a port.

use std::time::Instant;

use midir::{MidiOutput, MidiOutputConnection};

use super::ports::{self, Port};
use super::Output;
use crate::error::{Error, Result};

pub struct MidiOut {
    connection: MidiOutputConnection,
    /// A second client only for listing: the connected one is consumed by `connect`.
    lister: MidiOutput,
    port: Port,
}

impl MidiOut {
    /// Connects to the output port with this id, or else this name.
    pub fn connect(wanted: &str) -> Result<MidiOut> {
        let output = ports::midi_output(ports::CLIENT_NAME)?;
        let lister = ports::midi_output(&format!("{} ports", ports::CLIENT_NAME))?;
        let (port, midir_port) = ports::choose(ports::output_ports(&output), wanted, "output")?;
        let connection = output.connect(&midir_port, "out").map_err(|e| {
            Error::device(format!("Cannot connect to MIDI port {}: {e}.", port.name))
        })?;
        Ok(MidiOut {
            connection,
            lister,
            port,
        })
    }

    pub fn port(&self) -> &Port {
        &self.port
    }

    fn gone(&self) -> Error {
        Error::device(format!(
            "The MIDI port {} is gone (unplugged or closed); playback stopped.",
            self.port.name
        ))
    }
}

impl Drop for MidiOut {
    fn drop(&mut self) {
        // midir's JACK output queues messages for the server's next process cycle; closing the
        // client at once would lose the last ones (the resets after a stop). Two long periods.
        if cfg!(feature = "jack") {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Output for MidiOut {
    fn send(&mut self, _due: Instant, message: &[u8]) -> Result<()> {
        self.connection.send(message).map_err(|_| self.gone())
    }

    fn check(&mut self) -> Result<()> {
        let listed = ports::output_ports(&self.lister)
            .into_iter()
            .any(|(port, _)| port.id == self.port.id);
        if listed {
            Ok(())
        } else {
            Err(self.gone())
        }
    }

    fn describe(&self) -> String {
        format!("MIDI port {}", self.port.name)
    }
}
