//! Audio preview speed: rustysynth (our renderer, loading the SoundFont and writing the WAV) against
//! `fluidsynth -ni -F` on the same three minutes of music as a MIDI file and the same SoundFont,
//! in one run. Target: rustysynth at least 1.3x as fast.

#[path = "../tests/common/score.rs"]
mod score;
#[path = "../tests/common/tool.rs"]
mod tool;

use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::music::{audio, midi};

fn render(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let score = score::long(3);
    let soundfont = audio::default_soundfont();
    let midi_file = dir.path().join("score.mid");
    // The file the app writes (score.mid), so fluidsynth plays what a writer would give it.
    let bytes = midi::write(&score).expect("write MIDI");
    std::fs::write(&midi_file, bytes).expect("save MIDI file");
    let wav = dir.path().join("out.wav");

    let mut group = c.benchmark_group("audio preview, 3 minutes of music");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("rustysynth render_wav", |b| {
        b.iter(|| audio::render_wav(&score, &soundfont, &wav).expect("render"))
    });
    group.bench_function("fluidsynth -F", |b| {
        b.iter(|| {
            tool::run_ok(
                Command::new("fluidsynth")
                    .args(["-ni", "-F"])
                    .arg(&wav)
                    .args(["-r", "44100"])
                    .arg(&soundfont)
                    .arg(&midi_file),
                "fluidsynth (scripts/setup.sh installs it)",
            );
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
