//! Orchestration: one score from the story — cues by mood, leitmotifs on their tracks, a MIDI
//! file an independent reader understands, byte for byte the same every time.
#[path = "common/cli.rs"]
mod cli;
mod common;

use common::Engine;
use rstest::rstest;
#[path = "common/tool.rs"]
mod tool;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{add, character, rejected, script, section, session, TestDb};
use fountainai::characters::{self, CharacterUpdate};
use fountainai::document::load_document;
use fountainai::examples;
use fountainai::music::leitmotif::{Leitmotif, MotifNote};
use fountainai::music::{moods, Mode, Score, PPQ};
use fountainai::progress::Progress;
use fountainai::scripts::ElementKind;
use fountainai::sequence::{self, ElementType};
use fountainai::sessions::{self, ContextTarget};
use fountainai::story::orchestrate::{self, Options, ScoreFiles};
use fountainai::Database;
use serde_json::Value;

async fn load(db: &Database, doc: &fountainai::document::ScriptDocument) -> (i64, i64) {
    let loaded = load_document(db, doc).await.expect("load document");
    (loaded.script_id, loaded.session_ids[0])
}

async fn named(db: &Database, script_id: i64, name: &str) -> characters::Character {
    characters::list_characters(db, script_id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
}

/// A leitmotif from (scale degree, eighths) pairs.
/// The FullStory the score was composed from.
async fn story_under(
    db: &Database,
    script_id: i64,
    session_id: i64,
) -> fountainai::story::FullStory {
    let request = fountainai::story::StoryRequest {
        script_id,
        session_id: Some(session_id),
        ..Default::default()
    };
    fountainai::story::get_full_story(db, &request)
        .await
        .unwrap()
}

fn motif(notes: &[(i64, i64)]) -> Leitmotif {
    Leitmotif(
        notes
            .iter()
            .map(|&(degree, length)| MotifNote { degree, length })
            .collect(),
    )
}

async fn orchestrate_into(db: &Database, script: i64, session: i64, dir: &Path) -> ScoreFiles {
    orchestrate::orchestrate(
        db,
        script,
        Some(session),
        dir,
        &Options::default(),
        &mut |_| {},
    )
    .await
    .expect("orchestrate")
}

fn mood_context(mood: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("mood".to_string(), mood.to_string())])
}

#[rstest]
#[tokio::test]
async fn every_section_is_a_cue_in_its_moods_mode_and_tempo(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = load(&t.db, &examples::feature_script(12)).await;
    let score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    let story = story_under(&t.db, script_id, session_id).await;
    assert_eq!(score.cues.len(), story.sections.len());
    let mut end = 0;
    for (i, (cue, section)) in score.cues.iter().zip(&story.sections).enumerate() {
        assert_eq!(cue.name, format!("1M{}", i + 1));
        assert_eq!(cue.heading, section.title);
        assert_eq!(cue.start_tick, end, "cues follow each other");
        end = cue.end_tick;
        let row = moods::find(&cue.mood).expect("the generator's moods are in the table");
        assert!(
            row.modes.contains(&cue.mode),
            "{} in {:?}",
            cue.name,
            cue.mode
        );
        assert!((row.tempo[0]..=row.tempo[1]).contains(&cue.bpm));
        assert!(score
            .tempo_map
            .iter()
            .any(|t| t.tick == cue.start_tick
                && t.micros_per_quarter == 60_000_000 / u32::from(cue.bpm)));
        assert!(score
            .markers
            .iter()
            .any(|m| m.tick == cue.start_tick && m.text == section.title));
        assert!(cue.end_seconds > cue.start_seconds);
    }
    // One page (55 lines) is about a minute: twelve pages make minutes, not seconds or hours.
    let minutes = score.duration_seconds() / 60.0;
    assert!((8.0..30.0).contains(&minutes), "{minutes} minutes");
}

#[rstest]
#[tokio::test]
async fn a_scene_with_moods_only_on_its_lines_takes_the_first_lines_mood(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    // The balcony scene's session sets "longing", "desperate" and "curious" line by line.
    let (script_id, session_id) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    let cue = &score.cues[0];
    assert_eq!(cue.mood, "longing");
    let longing = moods::find("longing").unwrap();
    assert!(longing.modes.contains(&cue.mode), "{:?}", cue.mode);
    assert!((longing.tempo[0]..=longing.tempo[1]).contains(&(cue.bpm)));
}

#[rstest]
#[tokio::test]
async fn restoring_a_version_brings_back_a_characters_instrument_and_leitmotif(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, _) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let romeo = named(&t.db, script_id, "Romeo").await;
    let motif = motif(&[(0, 1), (2, 1), (4, 2)]);
    let set = |instrument, leitmotif| CharacterUpdate {
        instrument: Some(instrument),
        leitmotif: Some(leitmotif),
        ..Default::default()
    };
    characters::update_character(
        &t.db,
        romeo.character_id,
        set(Some(73), Some(motif.clone())),
    )
    .await
    .unwrap();
    let v = sequence::create_version(&t.db, ElementType::Script, script_id, "flute")
        .await
        .unwrap();
    characters::update_character(&t.db, romeo.character_id, set(Some(40), None))
        .await
        .unwrap();

    sequence::restore_version(&t.db, ElementType::Script, script_id, v.version_number)
        .await
        .unwrap();
    let restored = characters::get_character(&t.db, romeo.character_id)
        .await
        .unwrap();
    assert_eq!(restored.instrument, Some(73));
    assert_eq!(restored.leitmotif, Some(motif));
}

/// Makes a snapshot look like one saved before characters had music.
fn without_music(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("instrument");
            map.remove("leitmotif");
            map.values_mut().for_each(without_music);
        }
        Value::Array(items) => items.iter_mut().for_each(without_music),
        _ => {}
    }
}

#[rstest]
#[tokio::test]
async fn restoring_a_version_from_before_music_keeps_the_instrument_and_leitmotif(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, _) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let romeo = named(&t.db, script_id, "Romeo").await;
    let motif = motif(&[(0, 1), (2, 1), (4, 2)]);
    let derived = sequence::create_version(&t.db, ElementType::Character, romeo.character_id, "")
        .await
        .unwrap();
    for (ty, id) in [
        (ElementType::Script, script_id),
        (ElementType::Character, romeo.character_id),
    ] {
        let mut old = sequence::create_version(&t.db, ty, id, "old")
            .await
            .unwrap();
        without_music(&mut old.data);
        sqlx::query(
            "UPDATE versions SET data = CAST($1 AS json_text) WHERE element_type = $2 AND element_id = $3 \
             AND version_number = $4",
        )
        .bind(old.data.to_string())
        .bind(ty.as_str())
        .bind(id)
        .bind(old.version_number)
        .execute(t.db.pool())
        .await
        .expect("make the version an old one");
        let update = CharacterUpdate {
            instrument: Some(Some(73)),
            leitmotif: Some(Some(motif.clone())),
            ..Default::default()
        };
        characters::update_character(&t.db, romeo.character_id, update)
            .await
            .unwrap();

        sequence::restore_version(&t.db, ty, id, old.version_number)
            .await
            .unwrap();
        let restored = characters::get_character(&t.db, romeo.character_id)
            .await
            .unwrap();
        assert_eq!(restored.instrument, Some(73), "{ty:?}");
        assert_eq!(restored.leitmotif, Some(motif.clone()), "{ty:?}");
    }

    // A `null` that a version does hold still goes back to the ones derived from the name.
    sequence::restore_version(
        &t.db,
        ElementType::Character,
        romeo.character_id,
        derived.version_number,
    )
    .await
    .unwrap();
    let restored = characters::get_character(&t.db, romeo.character_id)
        .await
        .unwrap();
    assert_eq!((restored.instrument, restored.leitmotif), (None, None));
}

#[rstest]
#[tokio::test]
async fn a_characters_leitmotif_plays_on_its_own_track_when_it_speaks(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let romeo = named(&t.db, script_id, "Romeo").await;
    let motif = motif(&[(0, 2), (4, 2), (7, 4)]);
    let update = CharacterUpdate {
        instrument: Some(Some(73)),
        leitmotif: Some(Some(motif.clone())),
        ..Default::default()
    };
    let updated = characters::update_character(&t.db, romeo.character_id, update)
        .await
        .unwrap();
    assert_eq!(updated.instrument, Some(73));
    assert_eq!(updated.leitmotif, Some(motif));

    let score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    let (index, track) = score
        .tracks
        .iter()
        .enumerate()
        .find(|(_, tr)| tr.character_id == Some(romeo.character_id))
        .expect("Romeo speaks, so he has a track");
    assert_eq!((track.name.as_str(), track.program), ("Romeo", 73));
    let notes: Vec<_> = score
        .notes
        .iter()
        .filter(|n| usize::from(n.track) == index)
        .collect();
    assert!(notes.len() >= 3);
    let cue = &score.cues[0];
    // Scale degrees 0, 4, 7 in the cue's mode: tonic, fifth, octave, two eighths apart.
    let steps = cue.mode.steps();
    let tonic = notes[0].pitch;
    assert_eq!(tonic % 12, cue.tonic);
    assert_eq!(notes[1].pitch, tonic + steps[4]);
    assert_eq!(notes[2].pitch, tonic + 12);
    assert_eq!(notes[1].onset - notes[0].onset, u64::from(PPQ));
    assert!(notes.iter().all(|n| n.channel == track.channel));
}

#[tokio::test]
async fn the_score_files_are_byte_identical_across_runs_and_databases() {
    let doc = examples::feature_script(20);
    let first = TestDb::new().await;
    let (script_id, session_id) = load(&first.db, &doc).await;
    let a = orchestrate_into(
        &first.db,
        script_id,
        session_id,
        &first.dir.path().join("a"),
    )
    .await;
    let b = orchestrate_into(
        &first.db,
        script_id,
        session_id,
        &first.dir.path().join("b"),
    )
    .await;

    // Another database where the same story gets other ids.
    let second = TestDb::new().await;
    script(&second.db, "Something else first").await;
    load(&second.db, &examples::romeo_and_juliet().unwrap()).await;
    let (script_id, session_id) = load(&second.db, &doc).await;
    let c = orchestrate_into(&second.db, script_id, session_id, second.dir.path()).await;

    let paths = |f: &ScoreFiles| {
        [
            f.midi_file_path.clone(),
            f.lily_pond_file_path.clone(),
            f.csound_file_path.clone(),
        ]
    };
    let bytes = |path: &str| std::fs::read(path).expect("read score file");
    for ((first, again), elsewhere) in paths(&a).iter().zip(paths(&b)).zip(paths(&c)) {
        assert!(bytes(first).len() > 1000, "{first}");
        assert!(bytes(first) == bytes(&again), "{first} differs across runs");
        assert!(
            bytes(first) == bytes(&elsewhere),
            "{first} differs across databases"
        );
    }
    assert_eq!(a.cues.len(), c.cues.len());
}

/// Track names and note-on counts as Python's mido reads them.
fn read_with_mido(path: &str) -> Vec<(String, u64)> {
    let program = "import json, sys, mido\n\
        f = mido.MidiFile(sys.argv[1])\n\
        assert f.type == 1 and f.ticks_per_beat == 480\n\
        print(json.dumps([[t.name, sum(1 for m in t if m.type == 'note_on' and m.velocity > 0)] for t in f.tracks]))";
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .args(["-c", "import mido"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("Python's mido is missing: apt-get install -y python3-mido (scripts/setup.sh)");
    let out = tool::run_ok(
        Command::new(python).args(["-c", program, path]),
        &format!("mido reading {path}"),
    );
    serde_json::from_slice(&out.stdout).expect("mido's JSON")
}

#[tokio::test]
async fn an_independent_reader_finds_the_named_tracks_and_every_note() {
    let t = TestDb::new().await;
    let (script_id, session_id) = load(&t.db, &examples::feature_script(12)).await;
    let files = orchestrate_into(&t.db, script_id, session_id, t.dir.path()).await;
    let score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    let expected: Vec<(String, u64)> = std::iter::once((score.title.clone(), 0))
        .chain(score.tracks.iter().enumerate().map(|(i, track)| {
            let count = score
                .notes
                .iter()
                .filter(|n| usize::from(n.track) == i)
                .count();
            (track.name.clone(), count as u64)
        }))
        .collect();
    assert_eq!(expected[1].0, "Underscore");
    assert!(expected.iter().skip(2).all(|(_, notes)| *notes > 0));
    assert_eq!(read_with_mido(&files.midi_file_path), expected);
}

#[rstest]
#[tokio::test]
async fn unknown_moods_sound_neutral_and_empty_sections_get_a_short_cue(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Moods").await;
    let hall = section(&t.db, s.script_id, "INT. HALL - DAY").await;
    section(&t.db, s.script_id, "EXT. STREET - NIGHT").await;
    let cellar = section(&t.db, s.script_id, "INT. CELLAR - NIGHT").await;
    let ann = character(&t.db, s.script_id, "ANN").await;
    let silent = character(&t.db, s.script_id, "BOB").await;
    add(
        &t.db,
        hall.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Who is there?",
    )
    .await;
    add(
        &t.db,
        cellar.heading_id,
        ElementKind::Action,
        Some(silent.character_id),
        "Bob waits.",
    )
    .await;
    add(
        &t.db,
        cellar.heading_id,
        ElementKind::Dialogue,
        Some(ann.character_id),
        "Bob?",
    )
    .await;
    let session = session(&t.db, s.script_id).await;
    for (heading, mood) in [
        (hall.heading_id, "bewildered"),
        (cellar.heading_id, "dread"),
    ] {
        let target = ContextTarget {
            heading_id: Some(heading),
            ..Default::default()
        };
        sessions::set_context(&t.db, session.session_id, target, &mood_context(mood), &[])
            .await
            .unwrap();
    }
    let score = orchestrate::score(&t.db, s.script_id, Some(session.session_id))
        .await
        .unwrap();
    let [hall_cue, empty_cue, cellar_cue] = &score.cues[..] else {
        panic!("three sections, three cues: {:?}", score.cues);
    };
    assert_eq!(hall_cue.mood, "bewildered");
    assert_eq!((hall_cue.mode, hall_cue.bpm), (Mode::Ionian, 96));
    assert_eq!(empty_cue.mood, "");
    assert_eq!(
        empty_cue.end_tick - empty_cue.start_tick,
        2 * 4 * u64::from(PPQ)
    );
    assert!([Mode::Phrygian, Mode::Locrian].contains(&cellar_cue.mode));
    assert!((90..=140).contains(&cellar_cue.bpm));
    let names: Vec<&str> = score.tracks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["Underscore", "ANN"],
        "Bob never speaks, so has no track"
    );
    assert!(score
        .notes
        .iter()
        .any(|n| n.onset >= empty_cue.start_tick && n.onset < empty_cue.end_tick && n.track == 0));
}

#[rstest]
#[tokio::test]
async fn a_large_cast_shares_channels_and_never_uses_the_drum_channel(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = load(&t.db, &examples::feature_script(30)).await;
    let list = characters::list_characters(&t.db, script_id).await.unwrap();
    // Twenty distinct instruments for the cast: more than the fourteen free channels.
    for (i, c) in list.iter().take(20).enumerate() {
        let update = CharacterUpdate {
            instrument: Some(Some(i as i64 * 5)),
            ..Default::default()
        };
        characters::update_character(&t.db, c.character_id, update)
            .await
            .unwrap();
    }
    let score: Score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    assert!(score.tracks.len() > 16);
    for track in &score.tracks {
        assert!(track.channel <= 15 && track.channel != 9, "{track:?}");
        let same_channel = score.tracks.iter().filter(|o| o.channel == track.channel);
        assert!(
            same_channel.clone().all(|o| o.program == track.program),
            "a channel has one instrument: {:?}",
            same_channel.collect::<Vec<_>>()
        );
    }
    assert!(score
        .notes
        .iter()
        .all(|n| n.channel == score.tracks[usize::from(n.track)].channel));
}

#[tokio::test]
async fn progress_counts_up_to_the_total() {
    let t = TestDb::new().await;
    let (script_id, session_id) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let mut seen: Vec<Progress> = Vec::new();
    orchestrate::orchestrate(
        &t.db,
        script_id,
        Some(session_id),
        t.dir.path(),
        &Options::default(),
        &mut |p| seen.push(p),
    )
    .await
    .unwrap();
    let last = seen.last().expect("progress was reported");
    assert_eq!((last.done, last.total), (last.total, 4));
    assert!(seen.iter().all(|p| p.task == "orchestrate"));
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
}

#[rstest]
#[tokio::test]
async fn instruments_and_leitmotifs_are_checked(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let s = script(&t.db, "Checks").await;
    let ann = character(&t.db, s.script_id, "ANN").await;
    for bad in [128, -1] {
        let update = CharacterUpdate {
            instrument: Some(Some(bad)),
            ..Default::default()
        };
        rejected(
            characters::update_character(&t.db, ann.character_id, update).await,
            "invalid_input",
        );
    }
    for bad in [
        vec![],
        vec![MotifNote {
            degree: 30,
            length: 1,
        }],
        vec![MotifNote {
            degree: 0,
            length: 0,
        }],
    ] {
        let update = CharacterUpdate {
            leitmotif: Some(Some(Leitmotif(bad))),
            ..Default::default()
        };
        rejected(
            characters::update_character(&t.db, ann.character_id, update).await,
            "invalid_input",
        );
    }
    let unchanged = characters::get_character(&t.db, ann.character_id)
        .await
        .unwrap();
    assert_eq!((unchanged.instrument, unchanged.leitmotif), (None, None));
}

#[test]
fn the_command_line_orchestrates_and_the_story_points_at_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    cli::ok(dir, &["example", "romeo-and-juliet"]);
    let out = dir.join("out");
    let result = cli::ok(
        dir,
        &[
            "orchestrate",
            "1",
            "--session",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let keys: Vec<&str> = result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["midiFilePath", "lilyPondFilePath", "csoundFilePath", "cues"]
    );
    for key in ["midiFilePath", "lilyPondFilePath", "csoundFilePath"] {
        let path = Path::new(result[key].as_str().unwrap());
        assert!(path.is_absolute() && path.starts_with(&out) && path.is_file());
    }
    assert_eq!(result["cues"][0]["name"], "1M1");
    assert_eq!(result["cues"][0]["mood"], "longing");

    // Without --out the files go to the data directory, and the FullStory names them.
    let story = cli::ok(dir, &["story", "full", "1", "--session", "1"]);
    assert_eq!(story["orchestration"]["midiFilePath"], "");
    let result = cli::ok(dir, &["orchestrate", "1", "--session", "1"]);
    let story = cli::ok(dir, &["story", "full", "1", "--session", "1"]);
    assert_eq!(
        story["orchestration"]["midiFilePath"],
        result["midiFilePath"]
    );
    assert!(story["orchestration"]["midiFilePath"]
        .as_str()
        .unwrap()
        .ends_with("orchestration/script-1/session-1/score.mid"));

    let table = cli::ok(dir, &["moods"]);
    let rows = table.as_array().unwrap();
    assert_eq!(rows.last().unwrap()["mood"], "neutral");
    assert_eq!(rows[0]["tempo"], serde_json::json!([120, 150]));
    let help = cli::run(dir, &["orchestrate", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("phrygian/locrian") && help.contains("neutral"),
        "{help}"
    );
}

#[test]
fn the_command_line_sets_and_checks_instrument_and_leitmotif() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    cli::ok(dir, &["example", "romeo-and-juliet"]);
    let set = cli::ok(
        dir,
        &[
            "character",
            "update",
            "1",
            "--instrument",
            "40",
            "--leitmotif",
            "0:1,2:1,-1:2",
        ],
    );
    assert_eq!(set["instrument"], 40);
    assert_eq!(
        set["leitmotif"][2],
        serde_json::json!({"degree": -1, "length": 2})
    );
    for (flag, value) in [
        ("--instrument", "300"),
        ("--instrument", "violin"),
        ("--leitmotif", "0:1,x"),
        ("--leitmotif", "0:99"),
    ] {
        let out = cli::run(dir, &["character", "update", "1", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let error: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(error["code"], "invalid_input");
    }
    let cleared = cli::ok(dir, &["character", "update", "1", "--instrument", "auto"]);
    assert_eq!(cleared["instrument"], Value::Null);
    assert_eq!(cleared["leitmotif"][0]["degree"], 0);
}

#[rstest]
#[tokio::test]
async fn every_line_has_its_time_in_the_score_for_a_player_to_follow(
    #[values(Engine::Sqlite, Engine::Postgres)] engine: Engine,
) {
    let t = TestDb::on(engine).await;
    let (script_id, session_id) = load(&t.db, &examples::romeo_and_juliet().unwrap()).await;
    let score = orchestrate::score(&t.db, script_id, Some(session_id))
        .await
        .unwrap();
    let story = story_under(&t.db, script_id, session_id).await;
    let lines: Vec<i64> = score.lines.iter().map(|l| l.element_id).collect();
    let items: Vec<i64> = story.story.iter().map(|i| i.element_id).collect();
    assert_eq!(lines, items, "one span per line, in script order");
    let mut previous = 0;
    for (span, item) in score.lines.iter().zip(&story.story) {
        let cue = &score.cues[span.cue];
        assert_eq!(cue.section_id, item.heading_id, "{span:?}");
        assert!(cue.start_tick <= span.start_tick && span.end_tick <= cue.end_tick);
        assert!(
            span.start_tick >= previous,
            "{span:?} starts before its line's predecessor"
        );
        previous = span.start_tick;
        let printed = matches!(
            item.element_type,
            ElementKind::Dialogue
                | ElementKind::Lyrics
                | ElementKind::Action
                | ElementKind::Centered
                | ElementKind::Transition
        );
        assert_eq!(span.end_tick > span.start_tick, printed, "{span:?}");
        if let Some(speaker) = item
            .character
            .as_ref()
            .filter(|_| item.element_type == ElementKind::Dialogue)
        {
            let track = score
                .tracks
                .iter()
                .position(|t| t.character_id == Some(speaker.character_id))
                .expect("a speaker has a track");
            assert!(
                score
                    .notes
                    .iter()
                    .any(|n| usize::from(n.track) == track && n.onset == span.start_tick),
                "{}'s motif starts with the line {span:?}",
                speaker.name
            );
        }
    }
    let json = serde_json::to_value(score.lines[0]).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["elementId", "cue", "startTick", "endTick"]);
}

/// The UI's tests answer `music_moods` with `ui/tests/moods.json`; it must be the core's table
/// (`fountainai moods > ui/tests/moods.json` writes it).
#[test]
fn the_ui_tests_serve_the_core_mood_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/tests/moods.json");
    let file = std::fs::read_to_string(&path).expect("ui/tests/moods.json");
    let served: Value = serde_json::from_str(&file).expect("moods.json is JSON");
    assert_eq!(served, serde_json::to_value(moods::MOODS).unwrap());
}
