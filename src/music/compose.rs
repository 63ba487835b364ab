//! PLACEHOLDER so the render back ends and `render-audio` build on their own branch: one cue of
//! two bars and one sustained note per section. The real composer (branch `music-compose`)
//! replaces this file at merge.

use tracing::instrument;

use super::{Cue, Family, Marker, Mode, Note, Score, TempoChange, Track, PPQ};
use crate::db::Database;
use crate::error::Result;
use crate::{scripts, sessions};

const BPM: u16 = 100;
const CUE_TICKS: u64 = 8 * PPQ as u64;

#[instrument(skip_all, err)]
pub async fn score(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<Score> {
    let script = scripts::get_script(db, script_id).await?;
    if let Some(session_id) = session_id {
        sessions::get_session(db, session_id).await?;
    }
    let sections = scripts::list_sections(db, script_id).await?;
    let mut score = Score {
        title: script.title,
        ppq: PPQ,
        tempo_map: vec![TempoChange {
            tick: 0,
            micros_per_quarter: 60_000_000 / u32::from(BPM),
        }],
        time_signature: (4, 4),
        tracks: vec![Track {
            name: "Underscore".into(),
            character_id: None,
            program: 48,
            channel: 0,
            family: Family::of_program(48),
        }],
        notes: vec![],
        markers: vec![],
        cues: vec![],
    };
    for (i, section) in sections.iter().enumerate() {
        let start_tick = i as u64 * CUE_TICKS;
        let end_tick = start_tick + CUE_TICKS;
        score.notes.push(Note {
            onset: start_tick,
            length: CUE_TICKS,
            track: 0,
            channel: 0,
            pitch: 57 + (i % 5) as u8 * 2,
            velocity: 80,
        });
        score.markers.push(Marker {
            tick: start_tick,
            text: section.title.clone(),
        });
        score.cues.push(Cue {
            name: format!("1M{}", i + 1),
            section_id: section.heading_id,
            heading: section.title.clone(),
            mood: String::new(),
            mode: Mode::Aeolian,
            tonic: 9,
            bpm: BPM,
            start_tick,
            end_tick,
            start_seconds: score.seconds_at(start_tick),
            end_seconds: score.seconds_at(end_tick),
        });
    }
    Ok(score)
}
