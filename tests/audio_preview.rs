//! Audio preview: the score played on the shipped General MIDI SoundFont (rustysynth) and on
//! Csound's synthesised orchestra, checked by ear's proxies: length, loudness, pitch (FFT).

mod common;
#[path = "common/score.rs"]
mod score;
#[path = "common/spectrum.rs"]
mod spectrum;

use std::path::Path;
use std::process::Command;

use fountainai::music::{audio, csound, render, Score};
use fountainai::scripts;
use fountainai::story::orchestrate;
use serde_json::Value;

const RATE: f64 = audio::SAMPLE_RATE as f64;

/// Left-channel samples of a 16-bit stereo WAV at 44.1 kHz, as floats.
fn left_channel(wav: &Path) -> Vec<f32> {
    let mut reader = hound::WavReader::open(wav).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate), (2, audio::SAMPLE_RATE));
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int if spec.bits_per_sample == 16 => reader
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) / 32768.0)
            .collect(),
        hound::SampleFormat::Float => reader.samples::<f32>().map(Result::unwrap).collect(),
        other => panic!("unexpected WAV format {other:?} {spec:?}"),
    };
    samples.chunks(2).map(|frame| frame[0]).collect()
}

fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

/// The strongest frequency in 16384 samples from `seconds`.
fn loudest_frequency(samples: &[f32], seconds: f64) -> f64 {
    const SIZE: usize = 16384;
    let start = (seconds * RATE) as usize;
    spectrum::loudest_frequency(&samples[start..start + SIZE], RATE)
}

fn preview(score: &Score, wav: &Path) {
    audio::render_wav(score, &audio::default_soundfont(), wav).unwrap();
}

#[test]
fn the_preview_lasts_as_long_as_the_score_and_plays_the_flutes_a() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("preview.wav");
    let score = score::two_cues();
    preview(&score, &wav);

    let samples = left_channel(&wav);
    let expected = (score.duration_seconds() + audio::TAIL_SECONDS) * RATE;
    assert_eq!(samples.len(), expected.round() as usize);
    let before = &samples[..(score::A4_FROM_SECONDS * RATE) as usize - 512];
    assert!(rms(before) < 1e-4, "silent before the first note");
    let heard = loudest_frequency(&samples, score::A4_FROM_SECONDS + 0.3);
    assert!((heard - 440.0).abs() < 4.0, "heard {heard} Hz, not A4");
    let second_cue = score.cues[1].start_seconds;
    assert!(rms(&samples[(second_cue * RATE) as usize..][..44_100]) > 0.01);
}

#[test]
fn the_same_score_renders_byte_identical_wavs() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a.wav"), dir.path().join("b.wav"));
    preview(&score::two_cues(), &first);
    preview(&score::two_cues(), &second);
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap());
}

#[test]
fn a_broken_soundfont_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read(audio::default_soundfont()).unwrap();
    let truncated = dir.path().join("truncated.sf2");
    std::fs::write(&truncated, &shipped[..100_000]).unwrap();
    let text = dir.path().join("notes.sf2");
    std::fs::write(&text, "not a soundfont").unwrap();
    for bad in [&truncated, &text] {
        let err =
            audio::render_wav(&score::two_cues(), bad, &dir.path().join("x.wav")).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad:?}: {err}");
        assert!(err.to_string().contains("not a usable SoundFont"), "{err}");
    }
    let missing = audio::render_wav(
        &score::two_cues(),
        &dir.path().join("none.sf2"),
        &dir.path().join("x.wav"),
    );
    assert_eq!(missing.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn render_audio_writes_the_storys_preview_from_the_command_line() {
    let test = common::TestDb::new().await;
    let script = common::script(&test.db, "Verona").await;
    for title in ["INT. HALL - NIGHT", "EXT. ORCHARD - NIGHT"] {
        scripts::add_section(&test.db, script.script_id, title)
            .await
            .unwrap();
    }
    let wav = test.dir.path().join("story.wav");
    let run = |soundfont: &Path| {
        Command::new(env!("CARGO_BIN_EXE_fountainai"))
            .arg("--db")
            .arg(test.path())
            .args(["render-audio", &script.script_id.to_string(), "--out"])
            .arg(&wav)
            .arg("--soundfont")
            .arg(soundfont)
            .env("FOUNTAINAI_DATA_DIR", test.dir.path())
            .output()
            .unwrap()
    };

    let output = run(&audio::default_soundfont());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed["wavFilePath"], wav.to_str().unwrap());
    let seconds = printed["durationSeconds"].as_f64().unwrap();
    assert!(seconds > 1.0);
    let samples = left_channel(&wav);
    assert_eq!(samples.len(), (seconds * RATE).round() as usize);
    assert!(rms(&samples) > 0.005);

    let bad = test.dir.path().join("bad.sf2");
    std::fs::write(&bad, "RIFF").unwrap();
    let output = run(&bad);
    assert_eq!(output.status.code(), Some(2));
    let err: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(err["code"], "invalid_input");
}

#[tokio::test]
async fn the_storys_preview_goes_into_a_folder_that_does_not_exist_yet() {
    let test = common::TestDb::new().await;
    let script = common::script(&test.db, "Verona").await;
    scripts::add_section(&test.db, script.script_id, "INT. HALL - NIGHT")
        .await
        .unwrap();
    let wav = test.dir.path().join("not").join("yet").join("story.wav");

    let preview = orchestrate::preview(&test.db, script.script_id, None, &wav, None)
        .await
        .unwrap();
    assert_eq!(preview.wav_file_path, wav);
    assert!(!left_channel(&wav).is_empty());
}

#[test]
fn csound_renders_every_family_audibly_for_the_scores_length() {
    let dir = tempfile::tempdir().unwrap();
    let score = score::two_cues();
    let (csd, wav) = (dir.path().join("score.csd"), dir.path().join("score.wav"));
    std::fs::write(&csd, csound::write(&score)).unwrap();
    render::csound_wav(&csd, &wav).unwrap();

    let samples = left_channel(&wav);
    let expected = (score.duration_seconds() + audio::TAIL_SECONDS) * RATE;
    assert!(
        (samples.len() as f64 - expected).abs() <= 64.0,
        "{} samples, expected {expected}",
        samples.len()
    );
    // Each family's first entry sounds: flute, strings, keys, plucked, brass, pad.
    for beat in [1.5, 8.5, 9.5, 12.2, 14.5, 16.5] {
        let at = score.seconds_at((beat * 480.0) as u64);
        let window = &samples[(at * RATE) as usize..][..4410];
        assert!(rms(window) > 0.005, "silent at beat {beat}");
    }
}

#[test]
fn the_csound_score_is_deterministic_and_has_an_instrument_per_family() {
    let csd = csound::write(&score::two_cues());
    assert_eq!(csd, csound::write(&score::two_cues()));
    for line in ["sr = 44100", "ksmps = 32", "nchnls = 2", "0dbfs = 1", "-W"] {
        assert!(csd.contains(line), "missing {line}");
    }
    for instrument in 1..=6 {
        assert!(csd.contains(&format!("instr {instrument}\n")));
        assert!(
            csd.contains(&format!("\ni {instrument} ")),
            "no note for instrument {instrument}"
        );
    }
    assert_eq!(csd.matches("\ni ").count(), score::two_cues().notes.len());
}
