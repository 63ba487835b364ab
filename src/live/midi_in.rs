//! MIDI in: a take recorded from a keyboard becomes a leitmotif. midir has no thru, so the
//! input callback forwards each message to the writer's output as it arrives. Input
//! timestamps are microseconds from an origin midir leaves unspecified per connection, so the
//! take is timed only by differences between them, never against the wall clock.

use std::time::{Duration, Instant};

use midir::{Ignore, MidiInputConnection};
use serde::{Deserialize, Serialize};

use super::ports::{self, Port};
use super::Output;
use crate::error::{Error, Result};
use crate::music::leitmotif::{self, Leitmotif, MotifNote};

#[derive(ts_rs::TS, Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RecordOptions {
    /// The grid onsets and lengths snap to, as a note value: 8 = eighths (the default), 4 =
    /// quarters, 2 = halves, 1 = whole notes. Leitmotifs count in eighths, so nothing finer.
    pub grid: u8,
    pub bpm: f64,
    /// Clicks on the output before recording starts (a bar of 4 is usual; 0 for none).
    pub count_in_beats: u8,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            grid: 8,
            bpm: 120.0,
            count_in_beats: 0,
        }
    }
}

/// One note of a take, timed by the input's own clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Struck {
    pub at_micros: u64,
    /// None while the key is still down when recording ends.
    pub length_micros: Option<u64>,
    pub pitch: u8,
    pub velocity: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Take {
    pub notes: Vec<Struck>,
    /// The last timestamp heard, to give keys still down a length.
    pub last_micros: u64,
    /// Why thru stopped forwarding, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thru_error: Option<String>,
}

struct Capture {
    take: Take,
    /// The take's index of the note sounding on (channel, pitch).
    open: Vec<Option<usize>>,
    thru: Option<Box<dyn Output>>,
}

impl Capture {
    fn hear(&mut self, micros: u64, message: &[u8]) {
        self.forward(message);
        self.take.last_micros = self.take.last_micros.max(micros);
        let [status, pitch, velocity] = *message else {
            return;
        };
        let key = usize::from(status & 0x0f) * 128 + usize::from(pitch & 0x7f);
        match status & 0xF0 {
            0x90 if velocity > 0 => {
                self.close(key, micros);
                self.open[key] = Some(self.take.notes.len());
                self.take.notes.push(Struck {
                    at_micros: micros,
                    length_micros: None,
                    pitch: pitch & 0x7f,
                    velocity,
                });
            }
            0x80 | 0x90 => self.close(key, micros),
            _ => {}
        }
    }

    fn close(&mut self, key: usize, micros: u64) {
        if let Some(note) = self.open[key]
            .take()
            .and_then(|i| self.take.notes.get_mut(i))
        {
            note.length_micros = Some(micros.saturating_sub(note.at_micros));
        }
    }

    fn forward(&mut self, message: &[u8]) {
        let Some(thru) = self.thru.as_mut() else {
            return;
        };
        if let Err(err) = thru.send(Instant::now(), message) {
            self.take.thru_error = Some(err.to_string());
            self.thru = None;
        }
    }
}

/// A take in progress; `finish` ends it.
pub struct Recording {
    connection: MidiInputConnection<Capture>,
    port: Port,
}

impl Recording {
    /// Counts in on `thru` (if asked), then listens on the input port with this id or name,
    /// forwarding what is played to `thru`.
    pub fn start(
        input: &str,
        options: &RecordOptions,
        mut thru: Option<Box<dyn Output>>,
    ) -> Result<Recording> {
        check_grid(options)?;
        let mut midi = ports::midi_input(ports::CLIENT_NAME)?;
        midi.ignore(Ignore::All);
        let (port, midir_port) = ports::choose(ports::input_ports(&midi), input, "input")?;
        if options.count_in_beats > 0 {
            let output = thru
                .as_deref_mut()
                .ok_or_else(|| Error::invalid("a count-in needs an output to click on (--thru)"))?;
            count_in(output, options)?;
        }
        let capture = Capture {
            take: Take::default(),
            open: vec![None; 16 * 128],
            thru,
        };
        let connection = midi
            .connect(
                &midir_port,
                "in",
                |micros, message, capture: &mut Capture| capture.hear(micros, message),
                capture,
            )
            .map_err(|e| {
                Error::device(format!("Cannot listen to MIDI port {}: {e}.", port.name))
            })?;
        Ok(Recording { connection, port })
    }

    pub fn port(&self) -> &Port {
        &self.port
    }

    pub fn finish(self) -> Take {
        let (_, capture) = self.connection.close();
        capture.take
    }
}

/// Records for `seconds` and returns the take.
pub fn record(
    input: &str,
    seconds: f64,
    options: &RecordOptions,
    thru: Option<Box<dyn Output>>,
) -> Result<Take> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 600.0) {
        return Err(Error::invalid(format!(
            "record for 0 to 600 seconds, not {seconds}"
        )));
    }
    let recording = Recording::start(input, options, thru)?;
    std::thread::sleep(Duration::from_secs_f64(seconds));
    Ok(recording.finish())
}

fn check_grid(options: &RecordOptions) -> Result<()> {
    if ![1, 2, 4, 8].contains(&options.grid) {
        return Err(Error::invalid(format!(
            "the grid is 1, 2, 4 or 8 (whole to eighth notes; leitmotifs count in eighths), not {}",
            options.grid
        )));
    }
    if !(options.bpm.is_finite() && (20.0..=400.0).contains(&options.bpm)) {
        return Err(Error::invalid(format!(
            "the tempo is 20 to 400 bpm, not {}",
            options.bpm
        )));
    }
    Ok(())
}

/// A click per beat on the General MIDI drum channel (hi wood block, accented on the one).
fn count_in(output: &mut dyn Output, options: &RecordOptions) -> Result<()> {
    const DRUMS: u8 = 9;
    const WOOD_BLOCK: u8 = 76;
    let beat = Duration::from_secs_f64(60.0 / options.bpm);
    let start = Instant::now();
    for n in 0..u32::from(options.count_in_beats) {
        let at = start + beat * n;
        spin_sleep::sleep_until(at);
        let velocity = if n == 0 { 120 } else { 90 };
        output.send(at, &[0x90 | DRUMS, WOOD_BLOCK, velocity])?;
        output.send(at, &[0x80 | DRUMS, WOOD_BLOCK, 0])?;
    }
    spin_sleep::sleep_until(start + beat * u32::from(options.count_in_beats));
    Ok(())
}

/// Semitones above the tonic to the scale degree they are in some mode (a minor third is the
/// third, a minor sixth the sixth, the tritone the fourth), so the motif follows each cue's mode.
const DEGREE_OF_SEMITONE: [i64; 12] = [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6];

/// The take as a leitmotif: onsets snapped to the grid relative to the first note, each note
/// lasting until the next one starts (the last one as long as it was held), degrees relative to
/// the first note's pitch. Of notes struck on one grid step the highest is the melody.
pub fn quantise(take: &Take, options: &RecordOptions) -> Result<Leitmotif> {
    check_grid(options)?;
    let mut notes = take.notes.clone();
    notes.sort_by_key(|n| (n.at_micros, std::cmp::Reverse(n.pitch)));
    let first = *notes
        .first()
        .ok_or_else(|| Error::invalid("nothing was played: the take has no notes"))?;
    let step_micros = 60e6 / options.bpm * 4.0 / f64::from(options.grid);
    let eighths_per_step = i64::from(8 / options.grid);
    let steps = |micros: u64| (micros as f64 / step_micros).round() as i64;
    // (grid step, pitch, held steps) of one melody note per step
    let mut melody: Vec<(i64, u8, i64)> = Vec::new();
    for note in &notes {
        let step = steps(note.at_micros - first.at_micros);
        if melody.last().is_some_and(|(last, _, _)| *last == step) {
            continue;
        }
        let held = note
            .length_micros
            .unwrap_or_else(|| take.last_micros.saturating_sub(note.at_micros));
        melody.push((step, note.pitch, steps(held).max(1)));
    }
    let motif: Vec<MotifNote> = melody
        .iter()
        .enumerate()
        .take(leitmotif::MAX_NOTES)
        .map(|(i, (step, pitch, held))| {
            let steps = melody.get(i + 1).map_or(*held, |(next, _, _)| next - step);
            let semitones = i64::from(*pitch) - i64::from(first.pitch);
            MotifNote {
                degree: semitones.div_euclid(12) * 7
                    + DEGREE_OF_SEMITONE[semitones.rem_euclid(12) as usize],
                length: (steps * eighths_per_step).clamp(1, *leitmotif::LENGTHS.end()),
            }
        })
        .collect();
    let motif = Leitmotif(motif);
    motif.validate().map_err(|e| {
        Error::invalid(format!(
            "the take does not fit a leitmotif ({e}); play within a fifth below to two octaves above its first note"
        ))
    })?;
    Ok(motif)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn struck(at_ms: u64, length_ms: u64, pitch: u8) -> Struck {
        Struck {
            at_micros: 5_000_000 + at_ms * 1000,
            length_micros: Some(length_ms * 1000),
            pitch,
            velocity: 100,
        }
    }

    #[test]
    fn a_sloppy_take_snaps_to_eighths_relative_to_its_first_note() {
        // 120 bpm: an eighth is 250 ms. Played a little early and late, with a chord on beat 3.
        let take = Take {
            notes: vec![
                struck(0, 200, 60),
                struck(240, 230, 63),
                struck(520, 400, 67),
                struck(530, 400, 55),
                struck(1010, 900, 72),
            ],
            last_micros: 0,
            thru_error: None,
        };
        let motif = quantise(&take, &RecordOptions::default()).map(|m| m.0);
        let expected =
            [(0, 1), (2, 1), (4, 2), (7, 4)].map(|(degree, length)| MotifNote { degree, length });
        assert_eq!(motif.ok(), Some(expected.to_vec()));
    }

    #[test]
    fn grids_finer_than_the_motif_format_are_refused() {
        let options = RecordOptions {
            grid: 16,
            ..RecordOptions::default()
        };
        assert!(quantise(&Take::default(), &options).is_err());
    }
}
