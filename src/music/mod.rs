//! One score from the story, many back ends: `Brief -> Score -> {MIDI, LilyPond, Csound, audio, live}`.
//!
//! Pure data in, files out: the Story Factory writes the composer's `compose::Brief` from a
//! FullStory; nothing here reads a service or the database.
//!
//! The Score is plain data and the only thing a back end reads. Time is in ticks of a fixed
//! resolution with an explicit tempo map, so a real-time player can turn any tick into an
//! absolute instant without re-deriving the composition.

pub mod audio;
pub mod compose;
pub mod csound;
pub mod leitmotif;
pub mod lilypond;
pub mod midi;
pub mod moods;
pub mod render;

use serde::Serialize;

/// Ticks per quarter note, for every score.
pub const PPQ: u16 = 480;

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub title: String,
    pub ppq: u16,
    /// Sorted by tick; the first change is at tick 0.
    pub tempo_map: Vec<TempoChange>,
    /// Beats per bar and the beat's note value (4 = quarter); constant for the whole score.
    pub time_signature: (u8, u8),
    pub tracks: Vec<Track>,
    /// Sorted by (onset, track, pitch).
    pub notes: Vec<Note>,
    /// Scene headings, at the tick their cue starts.
    pub markers: Vec<Marker>,
    pub cues: Vec<Cue>,
    /// Every line of the script, in script order, with the time it takes, so a player can
    /// show the line it plays and start from a line.
    pub lines: Vec<LineSpan>,
}

/// Where a line of the script sounds: from the tick its printed lines begin (where a
/// speaker's motif starts) to where they end or its motif stops, whichever is later. Lines
/// that print nothing (notes, synopses) take no time: `start_tick == end_tick`.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineSpan {
    pub element_id: i64,
    /// Index into `Score::cues`.
    pub cue: usize,
    pub start_tick: u64,
    pub end_tick: u64,
}

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TempoChange {
    pub tick: u64,
    pub micros_per_quarter: u32,
}

impl TempoChange {
    pub fn bpm(&self) -> f64 {
        60_000_000.0 / f64::from(self.micros_per_quarter)
    }
}

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Track {
    pub name: String,
    /// The speaking character this track plays, or None for the underscore.
    pub character_id: Option<i64>,
    /// General MIDI program, 0-based.
    pub program: u8,
    /// MIDI channel, 0-based; 9 (drums) is never used.
    pub channel: u8,
    pub family: Family,
}

/// Timbre families: back ends without General MIDI (Csound) pick one instrument per family.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Family {
    Keys,
    Plucked,
    Strings,
    Brass,
    Woodwinds,
    Pad,
}

impl Family {
    /// The family a General MIDI program belongs to.
    pub fn of_program(program: u8) -> Family {
        match program {
            0..=23 => Family::Keys,
            24..=39 | 104..=111 => Family::Plucked,
            40..=55 => Family::Strings,
            56..=63 => Family::Brass,
            64..=79 => Family::Woodwinds,
            _ => Family::Pad,
        }
    }
}

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub onset: u64,
    pub length: u64,
    /// Index into `Score::tracks`.
    pub track: u16,
    pub channel: u8,
    pub pitch: u8,
    pub velocity: u8,
}

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub tick: u64,
    pub text: String,
}

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Ionian,
    Dorian,
    Phrygian,
    Lydian,
    Mixolydian,
    Aeolian,
    Locrian,
}

impl Mode {
    /// Semitone steps of the scale from its tonic.
    pub fn steps(self) -> [u8; 7] {
        const IONIAN: [u8; 7] = [0, 2, 4, 5, 7, 9, 11];
        let rotation = self.degree_of_ionian();
        let mut steps = [0u8; 7];
        for (i, step) in steps.iter_mut().enumerate() {
            let from = IONIAN[(rotation + i) % 7];
            *step = (from + 12 - IONIAN[rotation]) % 12;
        }
        steps
    }

    /// Which degree of its parent major scale this mode starts on (Ionian = 0).
    fn degree_of_ionian(self) -> usize {
        match self {
            Mode::Ionian => 0,
            Mode::Dorian => 1,
            Mode::Phrygian => 2,
            Mode::Lydian => 3,
            Mode::Mixolydian => 4,
            Mode::Aeolian => 5,
            Mode::Locrian => 6,
        }
    }

    /// Sharps (positive) or flats (negative) in the key signature of `tonic` (pitch class 0 = C)
    /// in this mode: the signature of its parent major scale.
    pub fn key_signature(self, tonic: u8) -> i8 {
        let ionian_offsets = [0u8, 2, 4, 5, 7, 9, 11];
        let parent = (tonic % 12 + 12 - ionian_offsets[self.degree_of_ionian()]) % 12;
        // Circle of fifths, preferring the spelling with fewer accidentals (F# over Gb: 6 sharps).
        const SIGNATURE: [i8; 12] = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
        SIGNATURE[usize::from(parent)]
    }

    /// Minor-ish modes are notated as minor keys where a back end knows only major/minor.
    pub fn is_minor(self) -> bool {
        matches!(
            self,
            Mode::Dorian | Mode::Phrygian | Mode::Aeolian | Mode::Locrian
        )
    }
}

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cue {
    /// The film way: reel 1, music 1, 2, ... ("1M1", "1M2").
    pub name: String,
    pub section_id: i64,
    pub heading: String,
    /// The mood as the writer set it; empty when none was set.
    pub mood: String,
    pub mode: Mode,
    /// Pitch class of the tonic, 0 = C.
    pub tonic: u8,
    pub bpm: u16,
    pub start_tick: u64,
    pub end_tick: u64,
    pub start_seconds: f64,
    pub end_seconds: f64,
}

impl Score {
    /// Seconds from the start of the score to `tick`, through the tempo map.
    pub fn seconds_at(&self, tick: u64) -> f64 {
        self.clock().seconds_at(tick)
    }

    /// The tempo map prepared for many lookups (a back end timing every note).
    pub fn clock(&self) -> Clock {
        let ppq = f64::from(self.ppq);
        let mut micros = self
            .tempo_map
            .first()
            .map_or(500_000, |t| t.micros_per_quarter);
        let mut segments = vec![(0u64, 0.0f64, micros)];
        for change in self.tempo_map.iter().skip_while(|t| t.tick == 0) {
            let (last_tick, seconds, _) = segments[segments.len() - 1];
            let seconds =
                seconds + (change.tick - last_tick) as f64 / ppq * f64::from(micros) / 1e6;
            micros = change.micros_per_quarter;
            segments.push((change.tick, seconds, micros));
        }
        Clock { ppq, segments }
    }

    /// The tick after the last note or cue ends.
    pub fn end_tick(&self) -> u64 {
        let notes = self
            .notes
            .iter()
            .map(|n| n.onset + n.length)
            .max()
            .unwrap_or(0);
        let cues = self.cues.iter().map(|c| c.end_tick).max().unwrap_or(0);
        notes.max(cues)
    }

    pub fn duration_seconds(&self) -> f64 {
        self.seconds_at(self.end_tick())
    }
}

/// Seconds at any tick by binary search over the tempo changes, each with the seconds at
/// which it starts.
#[derive(Debug, Clone)]
pub struct Clock {
    ppq: f64,
    /// (tick, seconds at that tick, microseconds per quarter from there on), by tick.
    segments: Vec<(u64, f64, u32)>,
}

impl Clock {
    pub fn seconds_at(&self, tick: u64) -> f64 {
        // A change exactly at `tick` has not yet taken effect on the time before it.
        let from = self.segments.partition_point(|s| s.0 < tick).max(1) - 1;
        let (start, seconds, micros) = self.segments[from];
        seconds + (tick - start) as f64 / self.ppq * f64::from(micros) / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_rotate_the_major_scale() {
        assert_eq!(Mode::Aeolian.steps(), [0, 2, 3, 5, 7, 8, 10]);
        assert_eq!(Mode::Dorian.steps(), [0, 2, 3, 5, 7, 9, 10]);
        assert_eq!(Mode::Lydian.steps(), [0, 2, 4, 6, 7, 9, 11]);
    }

    #[test]
    fn key_signatures_follow_the_parent_major() {
        assert_eq!(Mode::Ionian.key_signature(7), 1); // G major
        assert_eq!(Mode::Aeolian.key_signature(9), 0); // A minor
        assert_eq!(Mode::Dorian.key_signature(2), 0); // D dorian
        assert_eq!(Mode::Aeolian.key_signature(2), -1); // D minor
        assert_eq!(Mode::Phrygian.key_signature(4), 0); // E phrygian
    }

    #[test]
    fn seconds_follow_the_tempo_map() {
        let score = Score {
            title: String::new(),
            ppq: PPQ,
            tempo_map: vec![
                TempoChange {
                    tick: 0,
                    micros_per_quarter: 500_000,
                },
                TempoChange {
                    tick: 960,
                    micros_per_quarter: 1_000_000,
                },
            ],
            time_signature: (4, 4),
            tracks: vec![],
            notes: vec![],
            markers: vec![],
            cues: vec![],
            lines: vec![],
        };
        assert_eq!(score.seconds_at(960), 1.0);
        assert_eq!(score.seconds_at(1440), 2.0);
    }
}
