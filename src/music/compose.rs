//! Composition: the assembled story under a session becomes a Score.
//!
//! - Each section is one cue ("1M1", "1M2", …) whose mode, tempo, register, velocity and
//!   articulation follow the section's `mood` context through the mood table (neutral when
//!   unknown or unset). Choices inside a mood's ranges come from the scene heading's
//!   fingerprint and the cue number, so the same story sounds the same on any machine.
//! - Time follows the printed page: a page is 55 lines and one minute; a dialogue line wraps
//!   every 6 words (35 characters), action every 10 (60 characters); a character cue, a
//!   parenthetical and the blank line after a block take a line each. Cues last whole 4/4
//!   bars, at least two; an empty section is a two-bar sting.
//! - Every speaking character has a track: its own instrument and leitmotif, or ones derived
//!   from its name. When it speaks, the motif plays in the cue's key, mode and register for a
//!   time in proportion to the line's words, repeating if the line is long. A line's own mood
//!   (an element or character context) colours its velocity, articulation and octave.
//! - The underscore (strings, channel 1) holds the cue's chords, one a bar.
//!
//! All timing is integer ticks; no floats reach a file.

use std::collections::BTreeMap;

use super::leitmotif::{self, Bits, Leitmotif};
use super::moods::{self, Articulation, Mood};
use super::{Cue, Family, Marker, Mode, Note, Score, TempoChange, Track, PPQ};
use crate::characters::Character;
use crate::scripts::ElementKind;
use crate::story::{FullStory, StoryContext, StoryItem, StorySection};

/// One page of script: 55 printed lines, about one minute of screen time.
pub const LINES_PER_PAGE: u64 = 55;
const DIALOGUE_WORDS_PER_LINE: u64 = 6;
const ACTION_WORDS_PER_LINE: u64 = 10;
/// The scene heading and the blank line after it.
const HEADING_LINES: u64 = 2;
/// The shortest cue, and the whole cue of an empty section.
pub const SHORT_CUE_BARS: u64 = 2;
const BAR: u64 = 4 * PPQ as u64;
const EIGHTH: u64 = PPQ as u64 / 2;
/// String Ensemble 1 holds the chords.
pub const UNDERSCORE_PROGRAM: u8 = 48;
const UNDERSCORE_CHANNEL: u8 = 0;
/// Every channel but the underscore's and 9 (General MIDI drums).
const CHARACTER_CHANNELS: [u8; 14] = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];
/// Chord roots bar by bar, as scale degrees: I-vi-IV-V in major, their modal cousins elsewhere;
/// the last bar of a cue returns to the tonic.
const PROGRESSION: [i64; 4] = [0, 5, 3, 4];

/// The score of a story. `characters` supplies instruments and leitmotifs the writer set.
pub fn compose(story: &FullStory, characters: &[Character]) -> Score {
    let voices = voices(story, characters);
    let mut items: BTreeMap<i64, Vec<&StoryItem>> = BTreeMap::new();
    for item in &story.story {
        items.entry(item.heading_id).or_default().push(item);
    }
    let mut score = Score {
        title: story.title.clone(),
        ppq: PPQ,
        tempo_map: Vec::with_capacity(story.sections.len()),
        time_signature: (4, 4),
        tracks: tracks(&voices),
        notes: Vec::new(),
        markers: Vec::with_capacity(story.sections.len()),
        cues: Vec::with_capacity(story.sections.len()),
    };
    let mut start = 0;
    for (index, section) in story.sections.iter().enumerate() {
        let section_items = items
            .get(&section.heading_id)
            .map_or(&[][..], Vec::as_slice);
        let cue = CuePlan::new(section, section_items, index + 1);
        start = cue.write(&mut score, start, section, section_items, &voices);
    }
    if score.tempo_map.is_empty() {
        score.tempo_map.push(TempoChange {
            tick: 0,
            micros_per_quarter: micros(moods::NEUTRAL.tempo[0].into()),
        });
    }
    score
        .notes
        .sort_unstable_by_key(|n| (n.onset, n.track, n.pitch, n.length));
    let seconds: Vec<(f64, f64)> = score
        .cues
        .iter()
        .map(|c| (score.seconds_at(c.start_tick), score.seconds_at(c.end_tick)))
        .collect();
    for (cue, (from, to)) in score.cues.iter_mut().zip(seconds) {
        cue.start_seconds = from;
        cue.end_seconds = to;
    }
    score
}

/// A speaking character's sound, in the order characters first speak.
struct Voice {
    character_id: i64,
    name: String,
    program: u8,
    channel: u8,
    motif: Leitmotif,
}

fn speaks(item: &StoryItem) -> bool {
    matches!(
        item.element_type,
        ElementKind::Dialogue | ElementKind::Lyrics
    ) && item.character.is_some()
}

fn voices(story: &FullStory, characters: &[Character]) -> Vec<Voice> {
    let mut voices: Vec<Voice> = Vec::new();
    for character in story
        .story
        .iter()
        .filter(|i| speaks(i))
        .filter_map(|i| i.character.as_ref())
    {
        if voices
            .iter()
            .any(|v| v.character_id == character.character_id)
        {
            continue;
        }
        let set = characters
            .iter()
            .find(|c| c.character_id == character.character_id);
        let program = set
            .and_then(|c| c.instrument)
            .and_then(|p| leitmotif::instrument(p).ok())
            .unwrap_or_else(|| leitmotif::derived_instrument(&character.name));
        let motif = set
            .and_then(|c| c.leitmotif.clone())
            .filter(|m| m.validate().is_ok())
            .unwrap_or_else(|| Leitmotif::derived(&character.name));
        voices.push(Voice {
            character_id: character.character_id,
            name: character.name.clone(),
            program,
            channel: 0,
            motif,
        });
    }
    share_channels(&mut voices);
    voices
}

/// Fourteen channels for the cast: characters with the same instrument share one; when there
/// are more instruments than channels, a newcomer joins (and sounds like) the first channel of
/// its timbre family, else the channels are shared in turn.
fn share_channels(voices: &mut [Voice]) {
    let mut given: Vec<(u8, u8)> = Vec::new(); // (program, channel)
    for (index, voice) in voices.iter_mut().enumerate() {
        let (program, channel) = match given.iter().find(|(p, _)| *p == voice.program) {
            Some(found) => *found,
            None if given.len() < CHARACTER_CHANNELS.len() => {
                let fresh = (voice.program, CHARACTER_CHANNELS[given.len()]);
                given.push(fresh);
                fresh
            }
            None => given
                .iter()
                .find(|(p, _)| Family::of_program(*p) == Family::of_program(voice.program))
                .copied()
                .unwrap_or(given[index % given.len()]),
        };
        voice.program = program;
        voice.channel = channel;
    }
}

fn tracks(voices: &[Voice]) -> Vec<Track> {
    let underscore = Track {
        name: "Underscore".into(),
        character_id: None,
        program: UNDERSCORE_PROGRAM,
        channel: UNDERSCORE_CHANNEL,
        family: Family::of_program(UNDERSCORE_PROGRAM),
    };
    std::iter::once(underscore)
        .chain(voices.iter().map(|v| Track {
            name: v.name.clone(),
            character_id: Some(v.character_id),
            program: v.program,
            channel: v.channel,
            family: Family::of_program(v.program),
        }))
        .collect()
}

/// What a cue sounds like, chosen inside its mood's ranges.
struct CuePlan {
    number: usize,
    mood_text: String,
    mood: &'static Mood,
    mode: Mode,
    tonic: u8,
    bpm: u64,
    /// The melody's tonic pitch nearest the mood's register centre.
    base: i64,
    velocity: u8,
}

impl CuePlan {
    /// A scene without a mood of its own takes the mood of its first line that has one (the
    /// writer may have set moods line by line only).
    fn new(section: &StorySection, items: &[&StoryItem], number: usize) -> Self {
        let mood_text = mood_of(section.context.as_ref())
            .or_else(|| {
                items.iter().find_map(|item| {
                    mood_of(item.context.as_ref()).filter(|m| moods::find(m).is_some())
                })
            })
            .unwrap_or_default();
        let mood = moods::resolve(Some(&mood_text));
        let place = leitmotif::fingerprint(&section.title);
        let mut bits = Bits(place ^ (number as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut draw = |below: u64| bits.take(below);
        let mode = mood.modes[draw(mood.modes.len() as u64) as usize];
        // The same place keeps its key; keys stay within three sharps or flats.
        let keys: Vec<u8> = (0..12)
            .filter(|t| mode.key_signature(*t).abs() <= 3)
            .collect();
        let tonic = keys[(place % keys.len() as u64) as usize];
        let bpm = pick(mood.tempo.map(u64::from), draw(1 << 16));
        let [low, high] = mood.register.map(u64::from);
        let centre = if high - low > 24 {
            // A range this wide means "the extremes": near one end or the other.
            let near = draw(7);
            if draw(2) == 0 {
                low + near
            } else {
                high - near
            }
        } else {
            pick([low, high], draw(1 << 16))
        };
        let velocity = pick(mood.velocity.map(u64::from), draw(1 << 16)) as u8;
        CuePlan {
            number,
            mood_text,
            mood,
            mode,
            tonic,
            bpm,
            base: nearest_tonic(centre as i64, tonic),
            velocity,
        }
    }

    /// Writes the cue from `start`; returns where the next cue starts.
    fn write(
        &self,
        score: &mut Score,
        start: u64,
        section: &StorySection,
        items: &[&StoryItem],
        voices: &[Voice],
    ) -> u64 {
        let printed: Vec<u64> = items.iter().map(|i| printed_lines(i)).collect();
        let lines = HEADING_LINES + printed.iter().sum::<u64>();
        let bars = if items.is_empty() {
            SHORT_CUE_BARS
        } else {
            self.ticks_for_lines(lines)
                .div_ceil(BAR)
                .max(SHORT_CUE_BARS)
        };
        let end = start + bars * BAR;
        let mut before = HEADING_LINES;
        for (item, item_lines) in items.iter().zip(printed) {
            if let Some(track) = speaks(item)
                .then_some(item.character.as_ref())
                .flatten()
                .and_then(|c| voices.iter().position(|v| v.character_id == c.character_id))
            {
                let at = start + self.ticks_for_lines(before) / EIGHTH * EIGHTH;
                self.play_line(score, item, &voices[track], track + 1, at, end);
            }
            before += item_lines;
        }
        self.underscore(score, start, bars);
        score.tempo_map.push(TempoChange {
            tick: start,
            micros_per_quarter: micros(self.bpm),
        });
        score.markers.push(Marker {
            tick: start,
            text: section.title.clone(),
        });
        score.cues.push(Cue {
            name: format!("1M{}", self.number),
            section_id: section.heading_id,
            heading: section.title.clone(),
            mood: self.mood_text.clone(),
            mode: self.mode,
            tonic: self.tonic,
            bpm: self.bpm as u16,
            start_tick: start,
            end_tick: end,
            start_seconds: 0.0,
            end_seconds: 0.0,
        });
        end
    }

    /// Ticks the printed lines take at this cue's tempo (a page of lines is `bpm` beats).
    fn ticks_for_lines(&self, lines: u64) -> u64 {
        lines * self.bpm * u64::from(PPQ) / LINES_PER_PAGE
    }

    /// The speaker's motif, for as long as the line's words take, repeated if needed.
    fn play_line(
        &self,
        score: &mut Score,
        item: &StoryItem,
        voice: &Voice,
        track: usize,
        at: u64,
        cue_end: u64,
    ) {
        let words = item.text.split_whitespace().count() as u64;
        let eighths = (self.ticks_for_lines(words) / DIALOGUE_WORDS_PER_LINE / EIGHTH).max(2);
        let span = (eighths * EIGHTH).min(cue_end.saturating_sub(at));
        let colour = mood_of(item.context.as_ref())
            .and_then(|m| moods::find(&m))
            .filter(|m| m.mood != self.mood.mood);
        let (velocity, articulation, base) = match colour {
            Some(line) => {
                let centre = (i64::from(line.register[0]) + i64::from(line.register[1])) / 2;
                let shift = (centre - self.base) / 12 * 12;
                let velocity = (line.velocity[0] / 2 + line.velocity[1] / 2).max(1);
                (velocity, line.articulation, self.base + shift)
            }
            None => (self.velocity, self.mood.articulation, self.base),
        };
        let mut offset = 0;
        for note in voice.motif.0.iter().cycle() {
            if offset >= span {
                break;
            }
            let written = (note.length.unsigned_abs() * EIGHTH).min(span - offset);
            score.notes.push(Note {
                onset: at + offset,
                length: sounding(written, articulation),
                track: track as u16,
                channel: voice.channel,
                pitch: self.pitch(base, note.degree),
                velocity,
            });
            offset += note.length.unsigned_abs().max(1) * EIGHTH;
        }
    }

    /// One triad a bar, an octave below the melody (but not in the mud below C2), softer than
    /// the lines.
    fn underscore(&self, score: &mut Score, start: u64, bars: u64) {
        let velocity = (u64::from(self.velocity) * 3 / 4).max(1) as u8;
        let mut base = self.base - 12;
        while base < 36 {
            base += 12;
        }
        for bar in 0..bars {
            let root = if bar + 1 == bars && bars > 1 {
                0
            } else {
                PROGRESSION[(bar % 4) as usize]
            };
            for third in [0, 2, 4] {
                score.notes.push(Note {
                    onset: start + bar * BAR,
                    length: BAR,
                    track: 0,
                    channel: UNDERSCORE_CHANNEL,
                    pitch: self.pitch(base, root + third),
                    velocity,
                });
            }
        }
    }

    /// The pitch of a scale degree above `base` in this cue's mode, kept inside MIDI's range.
    fn pitch(&self, base: i64, degree: i64) -> u8 {
        let steps = self.mode.steps();
        let mut pitch =
            base + 12 * degree.div_euclid(7) + i64::from(steps[degree.rem_euclid(7) as usize]);
        while pitch > 127 {
            pitch -= 12;
        }
        while pitch < 0 {
            pitch += 12;
        }
        pitch as u8
    }
}

fn mood_of(context: Option<&StoryContext>) -> Option<String> {
    context
        .and_then(|c| c.data.get("mood"))
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
}

/// Lines an element takes on the printed page; notes, synopses, outline sections, boneyard and
/// page breaks print none.
fn printed_lines(item: &StoryItem) -> u64 {
    let words = item.text.split_whitespace().count() as u64;
    let wrap = |per_line: u64| words.div_ceil(per_line).max(1);
    match item.element_type {
        ElementKind::Dialogue | ElementKind::Lyrics => {
            let parenthetical = item
                .spoken_word
                .as_ref()
                .is_some_and(|s| s.parenthetical.is_some());
            2 + u64::from(parenthetical) + wrap(DIALOGUE_WORDS_PER_LINE)
        }
        ElementKind::Action | ElementKind::Centered => 1 + wrap(ACTION_WORDS_PER_LINE),
        ElementKind::Transition => 2,
        ElementKind::Note
        | ElementKind::Synopsis
        | ElementKind::PageBreak
        | ElementKind::Section
        | ElementKind::Boneyard => 0,
    }
}

fn pick([low, high]: [u64; 2], bits: u64) -> u64 {
    low + bits % (high - low + 1)
}

fn nearest_tonic(centre: i64, tonic: u8) -> i64 {
    let below = centre - (centre - i64::from(tonic)).rem_euclid(12);
    if centre - below > 6 {
        below + 12
    } else {
        below
    }
}

fn micros(bpm: u64) -> u32 {
    (60_000_000 / bpm.max(1)) as u32
}

fn sounding(written: u64, articulation: Articulation) -> u64 {
    (written * articulation.percent() / 100).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_land_in_the_mode_around_the_register() {
        assert_eq!(nearest_tonic(64, 0), 60);
        assert_eq!(nearest_tonic(67, 0), 72);
        let plan = CuePlan {
            number: 1,
            mood_text: String::new(),
            mood: &moods::NEUTRAL,
            mode: Mode::Aeolian,
            tonic: 9,
            bpm: 96,
            base: 57,
            velocity: 70,
        };
        // A minor: A B C … an octave up, and one step below the tonic is G.
        assert_eq!(plan.pitch(57, 0), 57);
        assert_eq!(plan.pitch(57, 2), 60);
        assert_eq!(plan.pitch(57, 7), 69);
        assert_eq!(plan.pitch(57, -1), 55);
        assert_eq!(plan.pitch(200, 0), 116);
    }

    #[test]
    fn a_page_of_lines_is_a_minute() {
        let plan = CuePlan::new(
            &StorySection {
                heading_id: 1,
                script_id: 1,
                title: "INT. ROOM - DAY".into(),
                sequence: 1,
                context: None,
            },
            &[],
            1,
        );
        assert_eq!(plan.bpm, 96);
        // 55 lines at 96 bpm: 96 beats.
        assert_eq!(plan.ticks_for_lines(LINES_PER_PAGE), 96 * u64::from(PPQ));
    }
}
