//! Hand-built Scores for the music back ends' tests and benches: every timbre family, two cues
//! with different keys and tempi, chords, ties over bar lines, off-grid notes, awkward names.
#![allow(dead_code)]

use fountainai::music::{Cue, Family, Marker, Mode, Note, Score, TempoChange, Track, PPQ};

const Q: u64 = PPQ as u64;
pub const A4: u8 = 69;
/// The flute's A4 sounds alone from beat 2 to beat 4 of the first bar, at 90 bpm.
pub const A4_FROM_SECONDS: f64 = 1.0 * 60.0 / 90.0;
pub const A4_TO_SECONDS: f64 = 3.0 * 60.0 / 90.0;

fn track(name: &str, program: u8, channel: u8) -> Track {
    Track {
        name: name.into(),
        character_id: None,
        program,
        channel,
        family: Family::of_program(program),
    }
}

fn note(track: u16, channel: u8, onset: u64, length: u64, pitch: u8) -> Note {
    Note {
        onset,
        length,
        track,
        channel,
        pitch,
        velocity: 90,
    }
}

fn cue(
    score: &Score,
    name: &str,
    heading: &str,
    mode: Mode,
    tonic: u8,
    bpm: u16,
    bars: (u64, u64),
) -> Cue {
    let (start_tick, end_tick) = (bars.0 * 4 * Q, bars.1 * 4 * Q);
    Cue {
        name: name.into(),
        section_id: 1,
        heading: heading.into(),
        mood: String::new(),
        mode,
        tonic,
        bpm,
        start_tick,
        end_tick,
        start_seconds: score.seconds_at(start_tick),
        end_seconds: score.seconds_at(end_tick),
    }
}

/// Eight bars in two cues: D dorian at 90 bpm, then B-flat major at 120 bpm.
pub fn two_cues() -> Score {
    let mut score = Score {
        title: "The \"Balcony\" \\ Scene".into(),
        ppq: PPQ,
        tempo_map: vec![
            TempoChange {
                tick: 0,
                micros_per_quarter: 60_000_000 / 90,
            },
            TempoChange {
                tick: 16 * Q,
                micros_per_quarter: 60_000_000 / 120,
            },
        ],
        time_signature: (4, 4),
        tracks: vec![
            track("ROMEO", 73, 0),
            track("JULIET \"the sun\" \\ east", 40, 1),
            track("NURSE", 0, 2),
            track("MERCUTIO", 24, 3),
            track("TYBALT", 56, 4),
            track("Underscore", 89, 5),
        ],
        notes: vec![],
        markers: vec![
            Marker {
                tick: 0,
                text: "EXT. CAPULET'S ORCHARD - NIGHT".into(),
            },
            Marker {
                tick: 16 * Q,
                text: "INT. FRIAR \"LAURENCE'S\" CELL - DAY".into(),
            },
        ],
        cues: vec![],
        lines: vec![],
    };
    let mut notes = vec![
        // The known note, alone.
        note(0, 0, Q, 2 * Q, A4),
        // Romeo ties over the bar line and starts off the grid.
        note(0, 0, 3 * Q + Q / 2, 2 * Q, 74),
        note(0, 0, 6 * Q + 7, Q / 3, 72),
        // Juliet answers; Nurse plays chords; Mercutio plucks; Tybalt blares.
        note(1, 1, 8 * Q, 3 * Q, 62),
        note(1, 1, 11 * Q, Q, 65),
        note(2, 2, 8 * Q, 2 * Q, 50),
        note(2, 2, 8 * Q, 2 * Q, 53),
        note(2, 2, 9 * Q, 3 * Q, 57),
        note(3, 3, 12 * Q, Q / 2, 55),
        note(3, 3, 12 * Q + Q / 2, Q / 2, 57),
        note(3, 3, 13 * Q, Q, 60),
        note(4, 4, 14 * Q, 2 * Q, 58),
        // The second cue: a pad under everyone, B-flat major.
        note(5, 5, 16 * Q, 16 * Q, 46),
        note(5, 5, 16 * Q, 16 * Q, 53),
        note(0, 0, 16 * Q, Q, 70),
        note(0, 0, 17 * Q, Q, 74),
        note(1, 1, 18 * Q, 2 * Q, 75),
        note(2, 2, 20 * Q, 4 * Q, 65),
        note(3, 3, 24 * Q, 6 * Q, 62),
        note(4, 4, 28 * Q, 4 * Q, 58),
    ];
    notes.sort_by_key(|n| (n.onset, n.track, n.pitch));
    score.notes = notes;
    score.cues = vec![
        cue(
            &score,
            "1M1",
            "EXT. CAPULET'S ORCHARD - NIGHT",
            Mode::Dorian,
            2,
            90,
            (0, 4),
        ),
        cue(
            &score,
            "1M2",
            "INT. FRIAR \"LAURENCE'S\" CELL - DAY",
            Mode::Ionian,
            10,
            120,
            (4, 8),
        ),
    ];
    score
}

/// About `minutes` of busy music at 120 bpm: six tracks, a note per beat each, chords on the pad.
pub fn long(minutes: u64) -> Score {
    let bars = minutes * 30;
    let mut score = two_cues();
    score.tempo_map.truncate(1);
    score.tempo_map[0].micros_per_quarter = 500_000;
    score.markers.truncate(1);
    let scale = Mode::Aeolian.steps();
    let mut notes = Vec::new();
    for beat in 0..bars * 4 {
        for (track, centre) in [(0u16, 72u8), (1, 64), (2, 60), (3, 55), (4, 52)] {
            let degree = ((beat * (u64::from(track) + 2)) % 7) as usize;
            notes.push(note(
                track,
                track as u8,
                beat * Q,
                Q,
                centre + scale[degree],
            ));
        }
        if beat % 8 == 0 {
            for pitch in [45, 52, 57] {
                notes.push(note(5, 5, beat * Q, 8 * Q, pitch));
            }
        }
    }
    notes.sort_by_key(|n| (n.onset, n.track, n.pitch));
    score.notes = notes;
    score.cues = vec![cue(
        &score,
        "1M1",
        "EXT. VERONA - DAY",
        Mode::Aeolian,
        9,
        120,
        (0, bars),
    )];
    score
}
