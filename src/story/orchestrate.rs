//! The orchestration pipeline, the Story Factory's side of the music: FullStory -> the
//! composer's brief -> Score -> score.mid, score.ly, score.csd in the data directory, and on
//! request the rendered sheet music (PDF, PNG) and audio (WAV).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tracing::instrument;

use super::{FullStory, StoryContext, StoryItem, StoryRequest};
use crate::characters::{self, Character};
use crate::db::{data_dir, Database};
use crate::error::{Error, Result};
use crate::music::compose::{self, Brief, CueBrief, Line, LineKind, Speaker};
use crate::music::{audio, csound, leitmotif, lilypond, midi, render, Cue, Score};
use crate::progress::Progress;
use crate::scripts::ElementKind;

pub const MIDI_FILE: &str = "score.mid";
pub const LILYPOND_FILE: &str = "score.ly";
pub const CSOUND_FILE: &str = "score.csd";
pub const WAV_FILE: &str = "score.wav";

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Also run LilyPond (PDF, PNG) and Csound (WAV); each needs its tool installed.
    pub render: bool,
}

/// What was written, with absolute paths.
#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreFiles {
    pub midi_file_path: String,
    pub lily_pond_file_path: String,
    pub csound_file_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_file_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub png_file_paths: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wav_file_path: Option<String>,
    pub cues: Vec<Cue>,
}

/// Where a script's score lives in the data directory, per session.
/// `<data dir>/orchestration`: every script's score files, and the only folder the app reads
/// sheet music from.
pub fn root() -> Result<PathBuf> {
    Ok(data_dir()?.join("orchestration"))
}

pub fn default_dir(script_id: i64, session_id: Option<i64>) -> Result<PathBuf> {
    let session = session_id.map_or_else(|| "none".to_string(), |s| s.to_string());
    let dir = root()?
        .join(format!("script-{script_id}"))
        .join(format!("session-{session}"));
    Ok(std::path::absolute(dir)?)
}

/// The score of a script under a session, for the piano roll.
#[instrument(skip_all, err)]
pub async fn score(db: &Database, script_id: i64, session_id: Option<i64>) -> Result<Score> {
    Ok(story_and_score(db, script_id, session_id).await?.score)
}

/// The story as assembled and the score composed from it, for a caller that needs both
/// (a story bundle) without assembling the story twice.
pub struct Scored {
    pub story: FullStory,
    pub score: Score,
}

pub async fn story_and_score(
    db: &Database,
    script_id: i64,
    session_id: Option<i64>,
) -> Result<Scored> {
    let request = StoryRequest {
        script_id,
        session_id,
        ..StoryRequest::default()
    };
    let story = super::get_full_story(db, &request).await?;
    let characters = characters::list_characters(db, script_id).await?;
    let score = compose::compose(&brief(&story, &characters));
    Ok(Scored { story, score })
}

/// What the composer needs of the story: a cue per section with its lines in story order,
/// each speaker with the instrument and leitmotif the writer set (`characters`).
pub fn brief(story: &FullStory, characters: &[Character]) -> Brief {
    let speakers: HashMap<i64, &Character> =
        characters.iter().map(|c| (c.character_id, c)).collect();
    let mut lines: BTreeMap<i64, Vec<Line>> = BTreeMap::new();
    for item in &story.story {
        lines
            .entry(item.heading_id)
            .or_default()
            .push(line(item, &speakers));
    }
    let cues = story
        .sections
        .iter()
        .map(|section| CueBrief {
            section_id: section.heading_id,
            heading: section.title.clone(),
            mood: mood(section.context.as_ref()),
            lines: lines.remove(&section.heading_id).unwrap_or_default(),
        })
        .collect();
    Brief {
        title: story.title.clone(),
        cues,
    }
}

fn line(item: &StoryItem, characters: &HashMap<i64, &Character>) -> Line {
    let speaker = item.character.as_ref().map(|c| {
        let set = characters.get(&c.character_id);
        Speaker {
            character_id: c.character_id,
            name: c.name.clone(),
            instrument: set
                .and_then(|s| s.instrument)
                .and_then(|p| leitmotif::instrument(p).ok()),
            motif: set.and_then(|s| s.leitmotif.clone()),
        }
    });
    Line {
        element_id: item.element_id,
        kind: line_kind(item.element_type),
        text: item.text.clone(),
        parenthetical: item
            .spoken_word
            .as_ref()
            .is_some_and(|s| s.parenthetical.is_some()),
        mood: mood(item.context.as_ref()),
        speaker,
    }
}

fn line_kind(kind: ElementKind) -> LineKind {
    match kind {
        ElementKind::Dialogue => LineKind::Dialogue,
        ElementKind::Lyrics => LineKind::Lyrics,
        ElementKind::Action => LineKind::Action,
        ElementKind::Centered => LineKind::Centered,
        ElementKind::Transition => LineKind::Transition,
        ElementKind::Note
        | ElementKind::Synopsis
        | ElementKind::PageBreak
        | ElementKind::Section
        | ElementKind::Boneyard => LineKind::Unprinted,
    }
}

fn mood(context: Option<&StoryContext>) -> Option<String> {
    context.and_then(|c| c.data.get("mood")).cloned()
}

/// Composes the score and writes its files into `out_dir` (created if missing).
#[instrument(skip_all, err, fields(script_id, out_dir = %out_dir.display()))]
pub async fn orchestrate(
    db: &Database,
    script_id: i64,
    session_id: Option<i64>,
    out_dir: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<ScoreFiles> {
    let total = if options.render { 6 } else { 4 };
    let mut step = 0;
    let mut report = |name: &str| {
        progress(Progress::new("orchestrate", name, step, total));
        step += 1;
    };
    report("compose");
    let score = score(db, script_id, session_id).await?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", out_dir.display())))?;
    let dir = std::path::absolute(out_dir)?;
    report("midi");
    let midi_path = save(&dir.join(MIDI_FILE), &midi::write(&score)?)?;
    report("lilypond");
    let ly_path = save(&dir.join(LILYPOND_FILE), lilypond::write(&score).as_bytes())?;
    report("csound");
    let csd_path = save(&dir.join(CSOUND_FILE), csound::write(&score).as_bytes())?;
    let mut files = ScoreFiles {
        midi_file_path: text(&midi_path),
        lily_pond_file_path: text(&ly_path),
        csound_file_path: text(&csd_path),
        pdf_file_path: None,
        png_file_paths: None,
        wav_file_path: None,
        cues: score.cues,
    };
    if options.render {
        report("sheet music");
        let sheet = render::sheet_music(&ly_path, &dir)?;
        files.pdf_file_path = Some(text(&sheet.pdf));
        files.png_file_paths = Some(sheet.pngs.iter().map(|p| text(p)).collect());
        report("audio");
        let wav = dir.join(WAV_FILE);
        render::csound_wav(&csd_path, &wav)?;
        files.wav_file_path = Some(text(&wav));
    }
    report("done");
    Ok(files)
}

fn save(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    crate::files::write_atomically(path, bytes)?;
    Ok(path.to_path_buf())
}

fn text(path: &Path) -> String {
    path.display().to_string()
}

/// A preview WAV of the story's score through a General MIDI SoundFont.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub wav_file_path: PathBuf,
    pub sound_font_path: PathBuf,
    pub duration_seconds: f64,
}

/// Renders the score with rustysynth into `wav` (its folder created if missing; the shipped
/// SoundFont unless one is given).
/// The synthesis runs on a blocking thread: minutes of audio take seconds of CPU.
#[instrument(skip_all, err)]
pub async fn preview(
    db: &Database,
    script_id: i64,
    session_id: Option<i64>,
    wav: &Path,
    soundfont: Option<PathBuf>,
) -> Result<Preview> {
    let score = score(db, script_id, session_id).await?;
    if let Some(dir) = wav.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let soundfont = soundfont.unwrap_or_else(audio::default_soundfont);
    let duration_seconds = score.duration_seconds() + audio::TAIL_SECONDS;
    let (font, out) = (soundfont.clone(), wav.to_path_buf());
    tokio::task::spawn_blocking(move || audio::render_wav(&score, &font, &out))
        .await
        .map_err(|e| Error::Io(format!("the audio render stopped: {e}")))??;
    Ok(Preview {
        wav_file_path: wav.to_path_buf(),
        sound_font_path: soundfont,
        duration_seconds,
    })
}
