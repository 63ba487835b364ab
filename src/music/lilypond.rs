//! LilyPond 2.24 source from a Score: one staff per track, key and time from the cues, tempo and
//! rehearsal marks per cue, scene headings as text marks. Notes snap to a sixteenth-note grid,
//! are split at bar lines with ties, and sound together as chords.

use std::fmt::Write;

use super::{Mode, Note, Score};

/// Sixteenth notes: the finest rhythm the sheet shows.
const GRID_PER_QUARTER: u64 = 4;

/// Note values LilyPond writes without tuplets, in eighths of a quarter, longest first.
const DURATIONS: [(u64, &str); 9] = [
    (32, "1"),
    (24, "2."),
    (16, "2"),
    (12, "4."),
    (8, "4"),
    (6, "8."),
    (4, "8"),
    (3, "16."),
    (2, "16"),
];

/// General MIDI programs by LilyPond's own `midiInstrument` names (scm/lily/midi.scm).
const GM_NAMES: [&str; 128] = [
    "acoustic grand",
    "bright acoustic",
    "electric grand",
    "honky-tonk",
    "electric piano 1",
    "electric piano 2",
    "harpsichord",
    "clav",
    "celesta",
    "glockenspiel",
    "music box",
    "vibraphone",
    "marimba",
    "xylophone",
    "tubular bells",
    "dulcimer",
    "drawbar organ",
    "percussive organ",
    "rock organ",
    "church organ",
    "reed organ",
    "accordion",
    "harmonica",
    "concertina",
    "acoustic guitar (nylon)",
    "acoustic guitar (steel)",
    "electric guitar (jazz)",
    "electric guitar (clean)",
    "electric guitar (muted)",
    "overdriven guitar",
    "distorted guitar",
    "guitar harmonics",
    "acoustic bass",
    "electric bass (finger)",
    "electric bass (pick)",
    "fretless bass",
    "slap bass 1",
    "slap bass 2",
    "synth bass 1",
    "synth bass 2",
    "violin",
    "viola",
    "cello",
    "contrabass",
    "tremolo strings",
    "pizzicato strings",
    "orchestral harp",
    "timpani",
    "string ensemble 1",
    "string ensemble 2",
    "synthstrings 1",
    "synthstrings 2",
    "choir aahs",
    "voice oohs",
    "synth voice",
    "orchestra hit",
    "trumpet",
    "trombone",
    "tuba",
    "muted trumpet",
    "french horn",
    "brass section",
    "synthbrass 1",
    "synthbrass 2",
    "soprano sax",
    "alto sax",
    "tenor sax",
    "baritone sax",
    "oboe",
    "english horn",
    "bassoon",
    "clarinet",
    "piccolo",
    "flute",
    "recorder",
    "pan flute",
    "blown bottle",
    "shakuhachi",
    "whistle",
    "ocarina",
    "lead 1 (square)",
    "lead 2 (sawtooth)",
    "lead 3 (calliope)",
    "lead 4 (chiff)",
    "lead 5 (charang)",
    "lead 6 (voice)",
    "lead 7 (fifths)",
    "lead 8 (bass+lead)",
    "pad 1 (new age)",
    "pad 2 (warm)",
    "pad 3 (polysynth)",
    "pad 4 (choir)",
    "pad 5 (bowed)",
    "pad 6 (metallic)",
    "pad 7 (halo)",
    "pad 8 (sweep)",
    "fx 1 (rain)",
    "fx 2 (soundtrack)",
    "fx 3 (crystal)",
    "fx 4 (atmosphere)",
    "fx 5 (brightness)",
    "fx 6 (goblins)",
    "fx 7 (echoes)",
    "fx 8 (sci-fi)",
    "sitar",
    "banjo",
    "shamisen",
    "koto",
    "kalimba",
    "bagpipe",
    "fiddle",
    "shanai",
    "tinkle bell",
    "agogo",
    "steel drums",
    "woodblock",
    "taiko drum",
    "melodic tom",
    "synth drum",
    "reverse cymbal",
    "guitar fret noise",
    "breath noise",
    "seashore",
    "bird tweet",
    "telephone ring",
    "helicopter",
    "applause",
    "gunshot",
];

const SHARP_NAMES: [&str; 12] = [
    "c", "cis", "d", "dis", "e", "f", "fis", "g", "gis", "a", "ais", "b",
];
const FLAT_NAMES: [&str; 12] = [
    "c", "des", "d", "ees", "e", "f", "ges", "g", "aes", "a", "bes", "b",
];

pub fn write(score: &Score) -> String {
    let grid = Grid::of(score);
    let mut ly = String::from("\\version \"2.24.0\"\n\n");
    let _ = writeln!(
        ly,
        "\\header {{\n  title = {}\n  tagline = ##f\n}}\n",
        quote(&score.title)
    );
    let _ = writeln!(ly, "global = {{\n{}}}\n", global(score, &grid));
    let _ = writeln!(ly, "marks = {{\n{}}}\n", marks(score, &grid));
    ly.push_str("\\score {\n  <<\n");
    if score.tracks.is_empty() {
        let rests = staff_music(score, &grid, &[]);
        let _ = writeln!(
            ly,
            "    \\new Staff << \\global \\marks {{\n{rests}    }} >>"
        );
    }
    let mut by_track: Vec<Vec<&Note>> = vec![Vec::new(); score.tracks.len()];
    for note in &score.notes {
        if let Some(notes) = by_track.get_mut(usize::from(note.track)) {
            notes.push(note);
        }
    }
    for ((index, track), notes) in score.tracks.iter().enumerate().zip(by_track) {
        let instrument = GM_NAMES[usize::from(track.program & 0x7f)];
        let marks = if index == 0 { "\\marks " } else { "" };
        let _ = writeln!(
            ly,
            "    \\new Staff \\with {{\n      instrumentName = {}\n      midiInstrument = {}\n    }} << \\global {marks}{{\n      \\clef {}\n{}    }} >>",
            quote(&track.name),
            quote(instrument),
            clef(&notes),
            staff_music(score, &grid, &notes)
        );
    }
    ly.push_str("  >>\n  \\layout {}\n  \\midi {}\n}\n");
    ly
}

/// The score's rhythm: grid step, bar length and total length, all in ticks.
struct Grid {
    ppq: u64,
    step: u64,
    bar: u64,
    end: u64,
    time: (u64, u64),
}

impl Grid {
    fn of(score: &Score) -> Grid {
        let ppq = u64::from(score.ppq.max(1));
        let step = (ppq / GRID_PER_QUARTER).max(1);
        let (beats, unit) = match score.time_signature {
            (0, _) | (_, 0) => (4, 4),
            (beats, unit) => (u64::from(beats), u64::from(unit)),
        };
        let bar = (beats * ppq * 4 / unit).max(step);
        let mut grid = Grid {
            ppq,
            step,
            bar,
            end: 0,
            time: (beats, unit),
        };
        let last = grid.snap(score.end_tick()).max(1);
        grid.end = last.div_ceil(bar) * bar;
        grid
    }

    fn snap(&self, tick: u64) -> u64 {
        (tick + self.step / 2) / self.step * self.step
    }

    /// `length` ticks as LilyPond note values, longest first.
    fn durations(&self, mut length: u64) -> Vec<&'static str> {
        let mut values = Vec::new();
        for (eighths, name) in DURATIONS {
            let ticks = self.ppq * eighths / 8;
            while ticks > 0 && length >= ticks {
                values.push(name);
                length -= ticks;
            }
        }
        values
    }

    /// A skip of `length` ticks, as one scaled whole note.
    fn skip(&self, length: u64) -> String {
        let whole = self.ppq * 4;
        let common = gcd(length, whole);
        format!("s1*{}/{}", length / common, whole / common)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

/// Time and the key of every cue, for every staff.
fn global(score: &Score, grid: &Grid) -> String {
    let mut music = format!("  \\time {}/{}\n", grid.time.0, grid.time.1);
    let mut at = 0;
    for cue in &score.cues {
        let tick = grid.snap(cue.start_tick).min(grid.end);
        if tick < at {
            continue;
        }
        if tick > at {
            let _ = writeln!(music, "  {}", grid.skip(tick - at));
            at = tick;
        }
        let _ = writeln!(music, "  {}", key(cue.mode, cue.tonic));
    }
    if grid.end > at {
        let _ = writeln!(music, "  {}", grid.skip(grid.end - at));
    }
    music
}

fn key(mode: Mode, tonic: u8) -> String {
    let name = match mode {
        Mode::Ionian => "major",
        Mode::Dorian => "dorian",
        Mode::Phrygian => "phrygian",
        Mode::Lydian => "lydian",
        Mode::Mixolydian => "mixolydian",
        Mode::Aeolian => "minor",
        Mode::Locrian => "locrian",
    };
    let names = if mode.key_signature(tonic) < 0 {
        FLAT_NAMES
    } else {
        SHARP_NAMES
    };
    format!("\\key {} \\{name}", names[usize::from(tonic % 12)])
}

/// Tempo and rehearsal mark at every cue, tempo at every other tempo change, and scene headings
/// as text marks: printed once, above the top staff.
fn marks(score: &Score, grid: &Grid) -> String {
    let mut events: Vec<(u64, u8, String)> = Vec::new();
    for change in &score.tempo_map {
        events.push((
            grid.snap(change.tick),
            0,
            format!("\\tempo 4 = {}", metronome(change.bpm())),
        ));
    }
    for cue in &score.cues {
        let tick = grid.snap(cue.start_tick);
        let bpm = metronome(tempo_at(score, cue.start_tick));
        events.push((tick, 0, format!("\\tempo 4 = {bpm}")));
        events.push((tick, 1, format!("\\mark {}", quote(&cue.name))));
    }
    for marker in &score.markers {
        let text = format!("\\textMark {}", quote(&marker.text));
        events.push((grid.snap(marker.tick), 2, text));
    }
    // One tempo per instant: the cue's restates the map's, so equal lines collapse.
    events.sort();
    events.dedup();
    events.dedup_by(|b, a| a.0 == b.0 && a.1 == 0 && b.1 == 0);
    let mut music = String::new();
    let mut at = 0;
    for (tick, _, text) in events {
        let tick = tick.min(grid.end);
        if tick > at {
            let _ = writeln!(music, "  {}", grid.skip(tick - at));
            at = tick;
        }
        let _ = writeln!(music, "  {text}");
    }
    if grid.end > at {
        let _ = writeln!(music, "  {}", grid.skip(grid.end - at));
    }
    music
}

/// A whole-number metronome mark LilyPond accepts, whatever the tempo map holds.
fn metronome(bpm: f64) -> u32 {
    if bpm.is_finite() {
        bpm.round().clamp(1.0, 999.0) as u32
    } else {
        120
    }
}

fn tempo_at(score: &Score, tick: u64) -> f64 {
    // The map is in tick order: a binary search, since every cue asks (a scan was quadratic).
    let after = score.tempo_map.partition_point(|t| t.tick <= tick);
    score
        .tempo_map
        .get(after.saturating_sub(1))
        .map_or(120.0, |t| t.bpm())
}

fn clef(notes: &[&Note]) -> &'static str {
    let sum: u64 = notes.iter().map(|n| u64::from(n.pitch)).sum();
    let low = !notes.is_empty() && sum < 55 * notes.len() as u64;
    if low {
        "bass"
    } else {
        "treble"
    }
}

/// A note as the sheet shows it: snapped to the grid and spelled in its cue's key.
struct Sounding {
    start: u64,
    end: u64,
    name: String,
}

fn soundings(score: &Score, grid: &Grid, notes: &[&Note]) -> Vec<Sounding> {
    let mut placed: Vec<(u64, u64, u8)> = notes
        .iter()
        .map(|n| {
            let start = grid.snap(n.onset).min(grid.end - grid.step);
            let end = grid
                .snap(n.onset + n.length)
                .clamp(start + grid.step, grid.end);
            (start, end, n.pitch)
        })
        .collect();
    placed.sort();
    // A note re-struck before it ends is cut where the new one starts.
    let mut result: Vec<(u64, u64, u8)> = Vec::with_capacity(placed.len());
    let mut last_of_pitch = [None::<usize>; 128];
    for (start, end, pitch) in placed {
        let last = &mut last_of_pitch[usize::from(pitch & 0x7f)];
        if let Some(prev) = last.and_then(|i| result.get_mut(i)) {
            prev.1 = prev.1.min(start);
        }
        *last = Some(result.len());
        result.push((start, end, pitch));
    }
    result
        .into_iter()
        .filter(|(start, end, _)| end > start)
        .map(|(start, end, pitch)| Sounding {
            start,
            end,
            name: pitch_name(pitch, flats_at(score, start)),
        })
        .collect()
}

fn flats_at(score: &Score, tick: u64) -> bool {
    // Cues are in time order: the one sounding is the last to start at or before `tick`.
    let started = score.cues.partition_point(|c| c.start_tick <= tick);
    score
        .cues
        .get(started.saturating_sub(1))
        .is_some_and(|c| c.mode.key_signature(c.tonic) < 0)
}

fn pitch_name(pitch: u8, flats: bool) -> String {
    let names = if flats { FLAT_NAMES } else { SHARP_NAMES };
    let octave = i32::from(pitch / 12) - 4;
    let marks = if octave >= 0 { "'" } else { "," };
    format!(
        "{}{}",
        names[usize::from(pitch % 12)],
        marks.repeat(octave.unsigned_abs() as usize)
    )
}

/// The notes of one staff, bar by bar.
fn staff_music(score: &Score, grid: &Grid, notes: &[&Note]) -> String {
    let soundings = soundings(score, grid, notes);
    let mut music = String::new();
    let mut bar_start = 0;
    // Soundings are sorted by start: walk them once, keeping those that reach into the bar.
    let mut next = 0;
    let mut in_bar: Vec<&Sounding> = Vec::new();
    let mut cuts: Vec<u64> = Vec::new();
    let rest_bar = format!(" R1*{}/{}", grid.time.0, grid.time.1);
    while bar_start < grid.end {
        let bar_end = bar_start + grid.bar;
        in_bar.retain(|s| s.end > bar_start);
        while let Some(s) = soundings.get(next).filter(|s| s.start < bar_end) {
            if s.end > bar_start {
                in_bar.push(s);
            }
            next += 1;
        }
        cuts.clear();
        cuts.extend([bar_start, bar_end]);
        for s in &in_bar {
            cuts.extend(
                [s.start, s.end]
                    .into_iter()
                    .filter(|t| (bar_start..bar_end).contains(t)),
            );
        }
        cuts.sort_unstable();
        cuts.dedup();
        music.push_str("     ");
        if in_bar.is_empty() {
            music.push_str(&rest_bar);
        } else {
            for span in cuts.windows(2) {
                segment(&mut music, grid, &in_bar, span[0], span[1]);
            }
        }
        music.push_str(" |\n");
        bar_start = bar_end;
    }
    music
}

/// One stretch in which the same notes sound: a rest, a note or a chord, tied on where it lasts.
fn segment(music: &mut String, grid: &Grid, soundings: &[&Sounding], from: u64, to: u64) {
    let active = || soundings.iter().filter(|s| s.start <= from && s.end > from);
    let chord = active().count() > 1;
    let values = grid.durations(to - from);
    for (i, value) in values.iter().enumerate() {
        let last = i + 1 == values.len();
        let tie = |s: &Sounding| if !last || s.end > to { "~" } else { "" };
        music.push_str(if chord { " <" } else { " " });
        let mut notes = 0;
        for s in active() {
            if notes > 0 {
                music.push(' ');
            }
            music.push_str(&s.name);
            if !chord {
                music.push_str(value);
            }
            music.push_str(tie(s));
            notes += 1;
        }
        if notes == 0 {
            let _ = write!(music, "r{value}");
        } else if chord {
            let _ = write!(music, ">{value}");
        }
    }
}

/// A LilyPond string literal.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            c if c.is_control() => quoted.push(' '),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
