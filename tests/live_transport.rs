//! The app's transport: where "play from here" starts for a cue, a scene and a line (the same
//! start the CLI's `--cue`, `--scene` and `--line` take), the output the writer chose
//! remembered in the settings, and a transport that stays usable when a device is missing.

#[path = "common/cli.rs"]
mod cli;
mod common;

use std::path::Path;

use common::{rejected, TestDb};
use fountainai::document;
use fountainai::examples;
use fountainai::live::player::{start_seconds, StartAt};
use fountainai::live::ports::Port;
use fountainai::live::transport::{OutputChoice, Transport, TransportCommand};
use fountainai::music::{audio, Score};
use fountainai::settings;
use fountainai::story::{orchestrate, play};

async fn example_score(test: &TestDb) -> (i64, Score) {
    let example = examples::by_name("romeo-and-juliet").expect("the example");
    let loaded = document::load_document(&test.db, &example)
        .await
        .expect("load the example");
    let score = orchestrate::score(&test.db, loaded.script_id, None)
        .await
        .expect("compose");
    (loaded.script_id, score)
}

fn transport() -> Transport {
    Transport::new(audio::default_soundfont(), |_| {})
}

#[tokio::test]
async fn play_from_a_scene_starts_at_its_first_line_and_from_a_line_where_it_sounds() {
    let test = TestDb::new().await;
    let (_, score) = example_score(&test).await;
    let scene_cue = score.cues.len() - 1;
    let last = &score.cues[scene_cue];
    let in_scene: Vec<_> = score.lines.iter().filter(|l| l.cue == scene_cue).collect();
    let (first, later) = (in_scene[0], in_scene[in_scene.len() - 1]);
    assert!(
        later.start_tick > first.start_tick,
        "the scene has lines one after another"
    );
    let at = |start: StartAt| start_seconds(&score, &start).ok();

    let scene = at(StartAt::Scene {
        heading_id: last.section_id,
    });
    assert_eq!(scene, Some(score.seconds_at(first.start_tick)));
    assert!(score.seconds_at(first.start_tick) >= last.start_seconds);
    let line = at(StartAt::Line {
        element_id: later.element_id,
    });
    assert_eq!(line, Some(score.seconds_at(later.start_tick)));
    assert!(line > scene);
    let cue = at(StartAt::Cue {
        name: last.name.to_lowercase(),
    });
    assert_eq!(cue, Some(last.start_seconds));
}

#[tokio::test]
async fn a_start_that_is_not_in_the_score_is_refused_in_words() {
    let test = TestDb::new().await;
    let (_, score) = example_score(&test).await;
    let err = rejected(
        start_seconds(&score, &StartAt::Scene { heading_id: 9999 }),
        "not_found",
    );
    assert_eq!(err.to_string(), "Scene 9999 is not in this score.");
    rejected(
        start_seconds(&score, &StartAt::Line { element_id: 9999 }),
        "not_found",
    );
    rejected(
        start_seconds(&score, &StartAt::Seconds { seconds: -1.0 }),
        "invalid_input",
    );
    rejected(
        start_seconds(&score, &StartAt::Cue { name: "9M9".into() }),
        "not_found",
    );
}

#[tokio::test]
async fn the_chosen_output_is_remembered_and_found_again_at_the_next_start() {
    let test = TestDb::new().await;
    let synth = OutputChoice::Port(Port {
        id: "128:0".into(),
        name: "FLUID Synth".into(),
    });
    let stored = serde_json::to_value(&synth).expect("JSON");
    settings::set_setting(&test.db, play::OUTPUT_SETTING, &stored)
        .await
        .expect("store");
    // A later start of the app: the port is taken without connecting (it may be plugged in
    // later), so the picker shows the writer's choice.
    let transport = transport();
    let restored = play::restore_output(&test.db, &transport).await;
    assert_eq!(restored.ok(), Some(synth.clone()));
    assert_eq!(transport.state().output, synth);

    // Something unreadable under the key falls back to the speakers.
    settings::set_setting(&test.db, play::OUTPUT_SETTING, &serde_json::json!(42))
        .await
        .expect("store");
    let restored = play::restore_output(&test.db, &transport).await;
    assert_eq!(restored.ok(), Some(OutputChoice::Speakers));
}

#[tokio::test]
async fn without_midi_a_port_is_neither_chosen_nor_remembered_and_the_transport_goes_on() {
    if Path::new("/dev/snd/seq").exists() || cfg!(feature = "jack") {
        return;
    }
    let test = TestDb::new().await;
    let (script_id, _) = example_score(&test).await;
    let transport = transport();
    let port = OutputChoice::Port(Port {
        id: "Any synth".into(),
        name: "Any synth".into(),
    });
    let err = rejected(
        play::choose_output(&test.db, &transport, port.clone()).await,
        "device_unavailable",
    );
    assert!(err
        .to_string()
        .starts_with("No MIDI system on this machine"));
    let remembered = settings::get_setting(&test.db, play::OUTPUT_SETTING).await;
    assert_eq!(remembered.ok(), Some(serde_json::Value::Null));
    assert_eq!(transport.state().output, OutputChoice::Speakers);

    // Playing on a remembered port that cannot connect says why; nothing else breaks.
    transport.remember(port);
    let start = StartAt::Scene { heading_id: 9999 };
    let refused = play::play(&test.db, &transport, script_id, None, &start).await;
    rejected(refused, "not_found");
    let start = StartAt::Seconds { seconds: 0.0 };
    let refused = play::play(&test.db, &transport, script_id, None, &start).await;
    rejected(refused, "device_unavailable");
    let stopped = transport.obey(TransportCommand::Stop);
    assert!(stopped.is_ok_and(|state| !state.recording));
    rejected(transport.finish_recording(), "invalid_input");
    let clock = transport.obey(TransportCommand::Clock { on: true });
    assert!(clock.is_ok_and(|state| state.clock));
}

#[test]
fn the_command_line_starts_at_a_scene_or_a_line_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded = cli::ok(dir.path(), &["example", "romeo-and-juliet"]);
    let script = loaded["scriptId"].to_string();
    for start in [["--scene", "9999"], ["--line", "9999"]] {
        for command in [
            vec!["preview", &script, start[0], start[1]],
            vec!["midi", "play", &script, "--port", "x", start[0], start[1]],
        ] {
            let (code, err) = cli::err(dir.path(), &command);
            assert_eq!(err["code"], "not_found", "{command:?}: {err}");
            assert_eq!(code, Some(3), "{command:?}");
        }
    }
    // One start at a time.
    let out = cli::run(
        dir.path(),
        &["preview", &script, "--scene", "1", "--line", "2"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
