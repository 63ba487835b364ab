//! A machine without MIDI or sound (CI's: no /dev/snd at all), default ALSA build: every MIDI
//! call says `device_unavailable` in words a writer understands, the speakers likewise, and the
//! score still renders to WAV.
#![cfg(not(feature = "jack"))]

#[path = "common/cli.rs"]
mod cli;
#[path = "common/score.rs"]
mod score;

use std::path::Path;

use fountainai::live::midi_in::{self, RecordOptions};
use fountainai::live::midi_out::MidiOut;
use fountainai::live::ports;
use fountainai::live::preview::{self, Speakers};
use fountainai::music::audio;
use fountainai::Error;

fn no_midi_here() -> bool {
    let here = !Path::new("/dev/snd/seq").exists();
    if !here {
        eprintln!("skipped: this machine has an ALSA sequencer");
    }
    here
}

#[track_caller]
fn says_no_midi_system(error: Option<Error>) {
    let error = error.expect("refused");
    assert_eq!(error.code(), "device_unavailable", "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("No MIDI system on this machine: "),
        "{message}"
    );
    assert!(message.contains("/dev/snd/seq"), "{message}");
}

#[test]
fn every_midi_call_says_there_is_no_midi_system() {
    if !no_midi_here() {
        return;
    }
    says_no_midi_system(ports::list().err());
    says_no_midi_system(MidiOut::connect("Any synth").err());
    let options = RecordOptions::default();
    says_no_midi_system(midi_in::Recording::start("Any keyboard", &options, None).err());
    says_no_midi_system(midi_in::record("Any keyboard", 1.0, &options, None).err());
    says_no_midi_system(ports::PortWatch::start(ports::WATCH_INTERVAL, |_| {}).err());
}

#[test]
fn without_a_sound_card_the_speakers_are_unavailable_and_wav_still_renders() {
    if !no_midi_here() || std::env::var_os("ALSA_CONFIG_PATH").is_some() {
        return;
    }
    let error = Speakers::open(&audio::default_soundfont())
        .err()
        .expect("no device");
    assert_eq!(error.code(), "device_unavailable");
    assert!(
        error
            .to_string()
            .starts_with("No audio output device on this machine"),
        "{error}"
    );
    let score = score::two_cues();
    let played = preview::play(
        &score,
        &audio::default_soundfont(),
        0.0,
        Some(1.0),
        &mut |_| {},
    );
    assert_eq!(played.err().map(|e| e.code()), Some("device_unavailable"));

    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("preview.wav");
    audio::render_wav(&score, &audio::default_soundfont(), &wav).expect("render the WAV");
    assert!(std::fs::metadata(&wav).unwrap().len() > 1_000_000);
}

#[test]
fn every_midi_command_exits_with_the_device_unavailable_status() {
    if !no_midi_here() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let loaded = cli::ok(dir.path(), &["example", "romeo-and-juliet"]);
    let script = loaded["scriptId"].to_string();
    for args in [
        vec!["midi", "ports"],
        vec!["midi", "play", &script, "--port", "Any synth"],
        vec![
            "midi",
            "play",
            &script,
            "--port",
            "Any synth",
            "--cue",
            "1M1",
            "--clock",
        ],
        vec!["midi", "record", "--port", "Any keyboard", "--seconds", "1"],
        vec!["midi", "panic", "--port", "Any synth"],
    ] {
        let (code, err) = cli::err(dir.path(), &args);
        assert_eq!(code, Some(5), "{args:?}: {err}");
        assert_eq!(err["code"], "device_unavailable", "{args:?}");
        let message = err["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("No MIDI system on this machine: ")
                && message.contains("/dev/snd/seq"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn preview_without_a_sound_card_exits_with_the_device_unavailable_status() {
    if !no_midi_here() || std::env::var_os("ALSA_CONFIG_PATH").is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let loaded = cli::ok(dir.path(), &["example", "romeo-and-juliet"]);
    let script = loaded["scriptId"].to_string();
    let (code, err) = cli::err(dir.path(), &["preview", &script, "--seconds", "1"]);
    assert_eq!(code, Some(5), "{err}");
    assert_eq!(err["code"], "device_unavailable");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("No audio output device on this machine"),
        "{message}"
    );
}
