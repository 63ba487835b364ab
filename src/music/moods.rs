//! How a mood sounds: the table the composer reads, shown to the user as data (`fountainai
//! moods`, `fountainai orchestrate --help`, the app's mood table).
//!
//! Values start from DESIGN.md's table (after listener studies such as Eerola, Friberg &
//! Bresin 2013: mode matters most, then tempo, register, dynamics, articulation). A mood the
//! table does not know, or no mood at all, sounds like the last row, "neutral".

use serde::Serialize;

use super::Mode;

/// How long a note sounds within its written length.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Articulation {
    Legato,
    Tenuto,
    Staccato,
    Marcato,
}

impl Articulation {
    /// The sounding share of a note's written length, in percent.
    pub fn percent(self) -> u64 {
        match self {
            Articulation::Legato => 100,
            Articulation::Tenuto => 90,
            Articulation::Marcato => 65,
            Articulation::Staccato => 50,
        }
    }
}

/// One row of the table. Ranges are inclusive `[low, high]`; the composer picks a value
/// inside them per cue, deterministically.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mood {
    pub mood: &'static str,
    /// Other words a writer may use for this mood (matched case-insensitively).
    pub synonyms: &'static [&'static str],
    /// The usual mode; `modes` lists every mode a cue in this mood may take.
    pub mode: Mode,
    pub modes: &'static [Mode],
    /// Beats per minute.
    pub tempo: [u16; 2],
    /// MIDI pitch of the melody's centre; a range wider than two octaves means "the extremes".
    pub register: [u8; 2],
    pub velocity: [u8; 2],
    pub articulation: Articulation,
}

/// The mood table. The last row is the neutral default.
pub const MOODS: &[Mood] = &[
    Mood {
        mood: "joy",
        synonyms: &[
            "happy",
            "happiness",
            "joyful",
            "elation",
            "delight",
            "excitement",
            "excited",
            "celebration",
            "triumph",
            "euphoria",
            "cheerful",
            "playful",
        ],
        mode: Mode::Ionian,
        modes: &[Mode::Ionian, Mode::Lydian],
        tempo: [120, 150],
        register: [72, 79],
        velocity: [90, 110],
        articulation: Articulation::Staccato,
    },
    Mood {
        mood: "tenderness",
        synonyms: &[
            "trust",
            "tender",
            "love",
            "romance",
            "romantic",
            "affection",
            "warmth",
            "warm",
            "intimacy",
            "intimate",
            "gentle",
            "calm",
            "peaceful",
            "serene",
        ],
        mode: Mode::Ionian,
        modes: &[Mode::Ionian],
        tempo: [60, 80],
        register: [60, 72],
        velocity: [50, 70],
        articulation: Articulation::Legato,
    },
    Mood {
        mood: "longing",
        synonyms: &[
            "anticipation",
            "yearning",
            "nostalgia",
            "nostalgic",
            "wistful",
            "hope",
            "hopeful",
            "desire",
            "desperate",
            "curious",
            "curiosity",
            "wonder",
            "mystery",
        ],
        mode: Mode::Mixolydian,
        modes: &[Mode::Mixolydian, Mode::Dorian],
        tempo: [80, 110],
        register: [64, 76],
        velocity: [60, 95],
        articulation: Articulation::Tenuto,
    },
    Mood {
        mood: "sadness",
        synonyms: &[
            "sad",
            "grief",
            "sorrow",
            "melancholy",
            "melancholic",
            "loss",
            "mourning",
            "despair",
            "lonely",
            "loneliness",
            "regret",
            "tragic",
        ],
        mode: Mode::Aeolian,
        modes: &[Mode::Aeolian],
        tempo: [50, 70],
        register: [48, 64],
        velocity: [40, 60],
        articulation: Articulation::Legato,
    },
    Mood {
        mood: "fear",
        synonyms: &[
            "scared", "afraid", "terror", "dread", "suspense", "tension", "tense", "anxiety",
            "anxious", "horror", "panic", "danger", "menace", "ominous",
        ],
        mode: Mode::Phrygian,
        modes: &[Mode::Phrygian, Mode::Locrian],
        tempo: [90, 140],
        register: [36, 96],
        velocity: [30, 100],
        articulation: Articulation::Staccato,
    },
    Mood {
        mood: "anger",
        synonyms: &[
            "angry",
            "rage",
            "fury",
            "furious",
            "hostility",
            "hostile",
            "conflict",
            "aggression",
            "violence",
            "violent",
            "hate",
            "frustration",
        ],
        mode: Mode::Aeolian,
        // Phrygian's flat second is the dissonant colour of anger.
        modes: &[Mode::Aeolian, Mode::Phrygian],
        tempo: [130, 170],
        register: [40, 60],
        velocity: [110, 127],
        articulation: Articulation::Marcato,
    },
    NEUTRAL,
];

/// For a scene with no mood or one the table does not know.
pub const NEUTRAL: Mood = Mood {
    mood: "neutral",
    synonyms: &[],
    mode: Mode::Ionian,
    modes: &[Mode::Ionian],
    tempo: [96, 96],
    register: [64, 64],
    velocity: [70, 70],
    articulation: Articulation::Tenuto,
};

/// The row a writer's mood word names: the whole text, else its first word the table knows
/// ("quiet longing" is longing). None when nothing matches.
pub fn find(text: &str) -> Option<&'static Mood> {
    let wanted = text.trim().to_lowercase();
    let row = |word: &str| {
        MOODS
            .iter()
            .find(|m| m.mood == word || m.synonyms.contains(&word))
    };
    row(&wanted).or_else(|| {
        wanted
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .find_map(row)
    })
}

/// The row for a mood, the neutral one when there is none or the table does not know it.
pub fn resolve(text: Option<&str>) -> &'static Mood {
    text.and_then(find).unwrap_or(&NEUTRAL)
}

/// The table as text, for `--help`.
pub fn table() -> String {
    let mut out = String::from(
        "Moods (a scene's `mood` context; unknown or none sounds neutral):\n  \
         mood        modes                tempo     register  velocity  articulation  also\n",
    );
    for m in MOODS {
        let modes: Vec<String> = m.modes.iter().map(|mode| mode_name(*mode)).collect();
        out.push_str(&format!(
            "  {:<11} {:<20} {:<9} {:<9} {:<9} {:<13} {}\n",
            m.mood,
            modes.join("/"),
            format!("{}-{}", m.tempo[0], m.tempo[1]),
            format!("{}-{}", m.register[0], m.register[1]),
            format!("{}-{}", m.velocity[0], m.velocity[1]),
            format!("{:?}", m.articulation).to_lowercase(),
            m.synonyms.join(", "),
        ));
    }
    out
}

fn mode_name(mode: Mode) -> String {
    format!("{mode:?}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_phrases_find_their_row() {
        assert_eq!(resolve(Some("Joy")).mood, "joy");
        assert_eq!(resolve(Some("trust")).mood, "tenderness");
        assert_eq!(resolve(Some("quiet longing")).mood, "longing");
        assert_eq!(resolve(Some("bewildered")).mood, "neutral");
        assert_eq!(resolve(None).mood, "neutral");
    }

    #[test]
    fn every_row_is_consistent() {
        for m in MOODS {
            assert!(m.modes.contains(&m.mode), "{}", m.mood);
            assert!(m.tempo[0] <= m.tempo[1] && m.tempo[0] > 0);
            assert!(m.register[0] <= m.register[1] && m.register[1] <= 127);
            assert!(m.velocity[0] <= m.velocity[1] && m.velocity[1] <= 127);
        }
        assert_eq!(MOODS.last().map(|m| m.mood), Some("neutral"));
    }
}
