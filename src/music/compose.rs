//! Composition: the composer's brief (a story's cues and their lines) becomes a Score.
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
//! - Every line gets its time range in the Score (`Score::lines`), for a player that follows
//!   the script.
//!
//! All timing is integer ticks; no floats reach a file.

use super::leitmotif::{self, Bits, Leitmotif};
use super::moods::{self, Articulation, Mood};
use super::{Cue, Family, LineSpan, Marker, Mode, Note, Score, TempoChange, Track, PPQ};

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

/// What the composer is given: the story as cues (one per section, in order) of lines. The
/// Story Factory writes it from a FullStory; the composer knows nothing of the database.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Brief {
    pub title: String,
    pub cues: Vec<CueBrief>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CueBrief {
    pub section_id: i64,
    pub heading: String,
    /// The section's own mood as the writer set it; without one, the cue takes the first
    /// known mood of its lines.
    pub mood: Option<String>,
    pub lines: Vec<Line>,
}

/// One element of the script, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub element_id: i64,
    pub kind: LineKind,
    /// The words as printed; their count sets how long the line takes.
    pub text: String,
    /// A dialogue line's parenthetical takes a printed line of its own.
    pub parenthetical: bool,
    /// The line's own mood (its element's or its character's context), if any.
    pub mood: Option<String>,
    pub speaker: Option<Speaker>,
}

/// What a kind of element takes on the printed page, and whether it is sung or spoken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Dialogue,
    Lyrics,
    Action,
    Centered,
    Transition,
    /// Notes, synopses, outline sections, boneyard and page breaks: no time of their own.
    Unprinted,
}

/// The character a line belongs to, with the sound the writer chose (None derives one from
/// the name).
#[derive(Clone, Debug, PartialEq)]
pub struct Speaker {
    pub character_id: i64,
    pub name: String,
    /// General MIDI program.
    pub instrument: Option<u8>,
    pub motif: Option<Leitmotif>,
}

/// The score of a story.
pub fn compose(brief: &Brief) -> Score {
    let voices = voices(brief);
    let mut score = Score {
        title: brief.title.clone(),
        ppq: PPQ,
        tempo_map: Vec::with_capacity(brief.cues.len()),
        time_signature: (4, 4),
        tracks: tracks(&voices),
        notes: Vec::new(),
        markers: Vec::with_capacity(brief.cues.len()),
        cues: Vec::with_capacity(brief.cues.len()),
        lines: Vec::new(),
    };
    let mut start = 0;
    for (index, cue) in brief.cues.iter().enumerate() {
        let plan = CuePlan::new(cue, index + 1);
        start = plan.write(&mut score, start, cue, &voices);
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
    // One clock for every cue: building it per lookup made this quadratic in the scenes.
    let clock = score.clock();
    let seconds: Vec<(f64, f64)> = score
        .cues
        .iter()
        .map(|c| (clock.seconds_at(c.start_tick), clock.seconds_at(c.end_tick)))
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

impl Line {
    /// The speaker of a dialogue or lyrics line; other lines carry no melody.
    fn singer(&self) -> Option<&Speaker> {
        matches!(self.kind, LineKind::Dialogue | LineKind::Lyrics)
            .then_some(self.speaker.as_ref())
            .flatten()
    }
}

fn voices(brief: &Brief) -> Vec<Voice> {
    let mut voices: Vec<Voice> = Vec::new();
    for speaker in brief
        .cues
        .iter()
        .flat_map(|c| &c.lines)
        .filter_map(Line::singer)
    {
        if voices
            .iter()
            .any(|v| v.character_id == speaker.character_id)
        {
            continue;
        }
        let program = speaker
            .instrument
            .unwrap_or_else(|| leitmotif::derived_instrument(&speaker.name));
        let motif = speaker
            .motif
            .clone()
            .filter(|m| m.validate().is_ok())
            .unwrap_or_else(|| Leitmotif::derived(&speaker.name));
        voices.push(Voice {
            character_id: speaker.character_id,
            name: speaker.name.clone(),
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
    fn new(cue: &CueBrief, number: usize) -> Self {
        let mood_text = mood_of(cue.mood.as_deref())
            .or_else(|| {
                cue.lines.iter().find_map(|line| {
                    mood_of(line.mood.as_deref()).filter(|m| moods::find(m).is_some())
                })
            })
            .unwrap_or_default();
        let mood = moods::resolve(Some(&mood_text));
        let place = leitmotif::fingerprint(&cue.heading);
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
    fn write(&self, score: &mut Score, start: u64, cue: &CueBrief, voices: &[Voice]) -> u64 {
        let printed: Vec<u64> = cue.lines.iter().map(printed_lines).collect();
        let lines = HEADING_LINES + printed.iter().sum::<u64>();
        let bars = if cue.lines.is_empty() {
            SHORT_CUE_BARS
        } else {
            self.ticks_for_lines(lines)
                .div_ceil(BAR)
                .max(SHORT_CUE_BARS)
        };
        let end = start + bars * BAR;
        let cue_index = score.cues.len();
        let on_beat = |lines: u64| start + self.ticks_for_lines(lines) / EIGHTH * EIGHTH;
        let mut before = HEADING_LINES;
        for (line, line_count) in cue.lines.iter().zip(printed) {
            let at = on_beat(before);
            let mut until = on_beat(before + line_count);
            if let Some(track) = line
                .singer()
                .and_then(|s| voices.iter().position(|v| v.character_id == s.character_id))
            {
                let motif_end = self.play_line(score, line, &voices[track], track + 1, at, end);
                until = until.max(motif_end);
            }
            score.lines.push(LineSpan {
                element_id: line.element_id,
                cue: cue_index,
                start_tick: at,
                end_tick: until,
            });
            before += line_count;
        }
        self.underscore(score, start, bars);
        score.tempo_map.push(TempoChange {
            tick: start,
            micros_per_quarter: micros(self.bpm),
        });
        score.markers.push(Marker {
            tick: start,
            text: cue.heading.clone(),
        });
        score.cues.push(Cue {
            name: format!("1M{}", self.number),
            section_id: cue.section_id,
            heading: cue.heading.clone(),
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

    /// The speaker's motif, for as long as the line's words take, repeated if needed; returns
    /// where the motif stops.
    fn play_line(
        &self,
        score: &mut Score,
        line: &Line,
        voice: &Voice,
        track: usize,
        at: u64,
        cue_end: u64,
    ) -> u64 {
        let words = line.text.split_whitespace().count() as u64;
        let eighths = (self.ticks_for_lines(words) / DIALOGUE_WORDS_PER_LINE / EIGHTH).max(2);
        let span = (eighths * EIGHTH).min(cue_end.saturating_sub(at));
        let colour = mood_of(line.mood.as_deref())
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
        at + span
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

fn mood_of(mood: Option<&str>) -> Option<String> {
    mood.map(|m| m.trim().to_string()).filter(|m| !m.is_empty())
}

/// Lines an element takes on the printed page; notes, synopses, outline sections, boneyard and
/// page breaks print none.
fn printed_lines(line: &Line) -> u64 {
    let words = line.text.split_whitespace().count() as u64;
    let wrap = |per_line: u64| words.div_ceil(per_line).max(1);
    match line.kind {
        LineKind::Dialogue | LineKind::Lyrics => {
            2 + u64::from(line.parenthetical) + wrap(DIALOGUE_WORDS_PER_LINE)
        }
        LineKind::Action | LineKind::Centered => 1 + wrap(ACTION_WORDS_PER_LINE),
        LineKind::Transition => 2,
        LineKind::Unprinted => 0,
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
            &CueBrief {
                section_id: 1,
                heading: "INT. ROOM - DAY".into(),
                mood: None,
                lines: vec![],
            },
            1,
        );
        assert_eq!(plan.bpm, 96);
        // 55 lines at 96 bpm: 96 beats.
        assert_eq!(plan.ticks_for_lines(LINES_PER_PAGE), 96 * u64::from(PPQ));
    }
}
