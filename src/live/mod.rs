//! Live: the Score played in real time on a MIDI port or through the speakers, and leitmotifs
//! recorded from a MIDI keyboard. Like every back end it reads only `music::Score` (and its
//! tempo map); one player thread drives whichever output the writer picked.

pub mod midi_in;
pub mod midi_out;
pub mod player;
pub mod ports;
pub mod preview;
pub mod transport;

use std::time::{Duration, Instant};

use crate::error::Result;

/// Where the player's MIDI messages go: a MIDI port, or the preview voice.
pub trait Output: Send {
    /// Hands over one MIDI message that should sound at `due` (now, or `lead()` ahead).
    fn send(&mut self, due: Instant, message: &[u8]) -> Result<()>;

    /// How long before its instant a message should be handed over: the preview voice renders
    /// audio ahead of the speakers, a MIDI port sends at once.
    fn lead(&self) -> Duration {
        Duration::ZERO
    }

    /// An error when the destination has gone (a port unplugged); asked about once a second,
    /// because a send to a vanished port does not always fail.
    fn check(&mut self) -> Result<()> {
        Ok(())
    }

    /// What the writer sees in a message about this output.
    fn describe(&self) -> String;
}

pub const CHANNELS: u8 = 16;
const CONTROL: u8 = 0xB0;
const SUSTAIN: u8 = 64;
const ALL_SOUND_OFF: u8 = 120;
const RESET_CONTROLLERS: u8 = 121;
const ALL_NOTES_OFF: u8 = 123;

/// What follows the note-offs of held notes whenever playing stops, so nothing hangs on any
/// synth: on every channel sustain off, all sound off, reset controllers, all notes off.
pub fn silence_messages() -> Vec<[u8; 3]> {
    (0..CHANNELS)
        .flat_map(|channel| {
            [SUSTAIN, ALL_SOUND_OFF, RESET_CONTROLLERS, ALL_NOTES_OFF].map(|controller| {
                let value = 0;
                [CONTROL | channel, controller, value]
            })
        })
        .collect()
}

/// Sends the reset messages on `output` now (the panic button, without a player).
pub fn panic(output: &mut dyn Output) -> Result<()> {
    let now = Instant::now();
    for message in silence_messages() {
        output.send(now, &message)?;
    }
    Ok(())
}
