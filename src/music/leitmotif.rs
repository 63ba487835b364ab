//! A character's leitmotif and instrument: the ones the writer set, or ones derived from the
//! character's name so the same name always sounds the same, on any machine.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Scale degrees the motif may reach: a fifth below the tonic to two octaves above.
pub const DEGREES: std::ops::RangeInclusive<i64> = -7..=14;
/// Note lengths in eighth notes: up to two bars of 4/4.
pub const LENGTHS: std::ops::RangeInclusive<i64> = 1..=16;
pub const MAX_NOTES: usize = 16;

/// The motif as scale degrees (0 = the tonic, 7 = an octave up) with lengths in eighth notes,
/// so it can be played in any key, mode and register. Stored as JSON text on the character.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Leitmotif(pub Vec<MotifNote>);

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MotifNote {
    pub degree: i64,
    pub length: i64,
}

/// One number of a motif note checked against its range; `unit` follows the range in the message.
fn within(what: &str, value: i64, range: &std::ops::RangeInclusive<i64>, unit: &str) -> Result<()> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "leitmotif {what} {value} is outside {}..={}{unit}",
        range.start(),
        range.end()
    )))
}

impl Leitmotif {
    /// Reads the command line's syntax: `DEGREE:LENGTH` pairs separated by commas, e.g.
    /// `0:1,2:1,4:2` (tonic and third as eighths, then the fifth as a quarter).
    pub fn parse(text: &str) -> Result<Leitmotif> {
        let notes = text
            .split(',')
            .map(|pair| {
                let (degree, length) = pair.trim().split_once(':').ok_or_else(|| {
                    Error::invalid(format!(
                        "a leitmotif note is DEGREE:LENGTH (e.g. 2:1), not {pair:?}"
                    ))
                })?;
                let number = |s: &str| {
                    s.trim().parse::<i64>().map_err(|_| {
                        Error::invalid(format!("{s:?} in the leitmotif is not a whole number"))
                    })
                };
                Ok(MotifNote {
                    degree: number(degree)?,
                    length: number(length)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let motif = Leitmotif(notes);
        motif.validate()?;
        Ok(motif)
    }

    pub fn validate(&self) -> Result<()> {
        if self.0.is_empty() || self.0.len() > MAX_NOTES {
            return Err(Error::invalid(format!(
                "a leitmotif has 1 to {MAX_NOTES} notes, not {}",
                self.0.len()
            )));
        }
        for note in &self.0 {
            within("degree", note.degree, &DEGREES, "")?;
            within("length", note.length, &LENGTHS, " eighth notes")?;
        }
        Ok(())
    }

    /// Four to seven notes walking by small steps, derived from the name alone.
    pub fn derived(name: &str) -> Leitmotif {
        let mut bits = Bits(fingerprint(name));
        let count = 4 + bits.take(4) as usize;
        let mut degree = 0i64;
        let mut notes = Vec::with_capacity(count);
        for i in 0..count {
            if i > 0 {
                const STEPS: [i64; 8] = [1, 2, -1, 3, -2, 1, 4, -3];
                degree = (degree + STEPS[bits.take(8) as usize]).clamp(-3, 9);
            }
            const LENGTHS: [i64; 4] = [1, 1, 2, 3];
            notes.push(MotifNote {
                degree,
                length: LENGTHS[bits.take(4) as usize],
            });
        }
        // Ending on a long note makes the motif a phrase rather than a fragment.
        if let Some(last) = notes.last_mut() {
            last.length = 4;
        }
        Leitmotif(notes)
    }

    /// The motif's length in eighth notes.
    pub fn eighths(&self) -> i64 {
        self.0.iter().map(|n| n.length).sum()
    }
}

/// The motif alone, for the writer to audition: in C major from middle C at 120 bpm on
/// `program`, a beat of rest before it so the first note is not clipped by the device starting.
pub fn audition(motif: &Leitmotif, program: u8) -> super::Score {
    use super::{Family, Mode, Note, Score, TempoChange, Track, PPQ};
    let eighth = u64::from(PPQ / 2);
    let steps = Mode::Ionian.steps();
    let mut onset = u64::from(PPQ);
    let mut notes = Vec::with_capacity(motif.0.len());
    for note in &motif.0 {
        let degree = note.degree.clamp(*DEGREES.start(), *DEGREES.end());
        let step = i64::from(steps[degree.rem_euclid(7) as usize]);
        let pitch = (60 + 12 * degree.div_euclid(7) + step).clamp(0, 127) as u8;
        let length = eighth * note.length.clamp(*LENGTHS.start(), *LENGTHS.end()) as u64;
        notes.push(Note {
            onset,
            length,
            track: 0,
            channel: 0,
            pitch,
            velocity: 96,
        });
        onset += length;
    }
    Score {
        title: "Leitmotif".into(),
        ppq: PPQ,
        tempo_map: vec![TempoChange {
            tick: 0,
            micros_per_quarter: 500_000,
        }],
        time_signature: (4, 4),
        tracks: vec![Track {
            name: "Leitmotif".into(),
            character_id: None,
            program: program & 0x7f,
            channel: 0,
            family: Family::of_program(program & 0x7f),
        }],
        notes,
        markers: Vec::new(),
        cues: Vec::new(),
        lines: Vec::new(),
    }
}

/// General MIDI programs a character gets when the writer chose none: melodic, distinct
/// timbres (piano, violin, cello, flute, clarinet, oboe, trumpet, horn, nylon guitar, harp,
/// vibraphone, bassoon, viola, celesta).
pub const INSTRUMENTS: [u8; 14] = [0, 40, 42, 73, 71, 68, 56, 60, 24, 46, 11, 70, 41, 8];

pub fn derived_instrument(name: &str) -> u8 {
    let index = fingerprint(name).rotate_right(32) % INSTRUMENTS.len() as u64;
    INSTRUMENTS[index as usize]
}

/// Checks a General MIDI program number from the user.
pub fn instrument(program: i64) -> Result<u8> {
    u8::try_from(program)
        .ok()
        .filter(|p| *p <= 127)
        .ok_or_else(|| {
            Error::invalid(format!(
                "instrument {program} is not a General MIDI program (0-127)"
            ))
        })
}

/// A stable hash (FNV-1a) of the trimmed, upper-cased text: "Romeo" and " ROMEO " hash alike.
pub fn fingerprint(text: &str) -> u64 {
    crate::fnv::hash(text.trim().to_uppercase().as_bytes())
}

/// Draws small numbers from a fingerprint, a few bits at a time.
pub(crate) struct Bits(pub(crate) u64);

impl Bits {
    pub(crate) fn take(&mut self, below: u64) -> u64 {
        let below = below.max(1);
        let value = self.0 % below;
        self.0 = (self.0 / below) ^ self.0.rotate_left(29);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_motifs_are_stable_phrases() {
        let romeo = Leitmotif::derived("Romeo");
        assert_eq!(romeo, Leitmotif::derived(" ROMEO "));
        assert!((4..=7).contains(&romeo.0.len()));
        assert!(romeo.validate().is_ok());
        assert_ne!(romeo, Leitmotif::derived("Juliet"));
    }

    #[test]
    fn the_command_line_syntax_parses_and_is_checked() {
        let motif = Leitmotif::parse("0:1, 2:1,4:2").map(|m| m.0);
        assert_eq!(
            motif.ok(),
            Some(vec![
                MotifNote {
                    degree: 0,
                    length: 1
                },
                MotifNote {
                    degree: 2,
                    length: 1
                },
                MotifNote {
                    degree: 4,
                    length: 2
                },
            ])
        );
        for bad in ["", "0", "0:0", "30:1", "a:1", "0:1,,2:1"] {
            assert!(Leitmotif::parse(bad).is_err(), "{bad:?}");
        }
        assert!(instrument(128).is_err() && instrument(-1).is_err());
        assert_eq!(instrument(40).ok(), Some(40));
    }

    #[test]
    fn an_audition_plays_the_motif_in_c_major_from_middle_c_after_a_beat() {
        let motif = Leitmotif::parse("0:1, 2:1, 4:2, 7:1, -3:1").expect("motif");
        let score = audition(&motif, 73);
        let notes: Vec<(u64, u64, u8)> = score
            .notes
            .iter()
            .map(|n| (n.onset, n.length, n.pitch))
            .collect();
        assert_eq!(
            notes,
            [
                (480, 240, 60),
                (720, 240, 64),
                (960, 480, 67),
                (1440, 240, 72),
                (1680, 240, 55)
            ]
        );
        assert_eq!(score.tracks[0].program, 73);
        assert!((score.duration_seconds() - 2.0).abs() < 1e-9);
    }
}
