//! Preview through the speakers, for real: ALSA's default device is routed through the `file`
//! plugin (which writes what is played to a WAV) in front of ALSA's JACK plugin, so the device
//! consumes audio in real time like a sound card (ALSA's `null` would swallow it instantly).
//! Needs the JACK server that scripts/test.sh starts for the `jack` build.
#![cfg(feature = "jack")]

#[path = "common/alsa.rs"]
mod alsa;
#[path = "common/score.rs"]
mod score;
#[path = "common/spectrum.rs"]
mod spectrum;

use alsa::RATE;
use fountainai::live::preview;
use fountainai::music::{audio, Note, TempoChange};

#[test]
fn the_preview_sounds_on_the_speakers_at_pitch_and_for_as_long_as_the_score() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("ALSA_CONFIG_PATH", alsa::file_plugin_config(dir.path()));
    // The flute's A4 for exactly one second, half a second in, at 120 bpm.
    let mut score = score::two_cues();
    score.tempo_map = vec![TempoChange {
        tick: 0,
        micros_per_quarter: 500_000,
    }];
    score.notes = vec![Note {
        onset: 480,
        length: 960,
        track: 0,
        channel: 0,
        pitch: 69,
        velocity: 100,
    }];
    score.cues.clear();
    let played = preview::play(&score, &audio::default_soundfont(), 0.0, None, &mut |_| {})
        .expect("play through the speakers");

    let mut reader = hound::WavReader::open(dir.path().join("played.wav")).expect("the WAV");
    // The voice renders at the rate the stream opened with; ALSA's plug converts for the file.
    let rate = reader.spec().sample_rate;
    assert_eq!(rate, RATE);
    assert!(played.sample_rate > 0);
    let left: Vec<f32> = reader
        .samples::<i16>()
        .step_by(2)
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    let loud = |s: &&f32| s.abs() > 0.01;
    let first = left
        .iter()
        .position(|s| loud(&s))
        .expect("something sounded");
    let last = left.iter().rposition(|s| loud(&s)).unwrap();
    let sounding = (last - first) as f64 / f64::from(rate);
    assert!(
        (0.95..1.6).contains(&sounding),
        "sounded for {sounding:.3} s, not 1 s and its release"
    );
    let heard =
        spectrum::loudest_frequency(&left[first + 4800..first + 4800 + 16384], f64::from(rate));
    assert!((heard - 440.0).abs() < 4.0, "heard {heard:.1} Hz, not A4");
}
