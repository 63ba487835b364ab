//! Audio preview speed: rustysynth (our renderer, loading the SoundFont and writing the WAV) against
//! `fluidsynth -ni -F` on the same three minutes of music as a MIDI file and the same SoundFont,
//! in one run. Target: rustysynth at least 1.3x as fast.

#[path = "../tests/common/score.rs"]
mod score;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::music::{audio, Score};
use midly::num::{u15, u24, u28, u4, u7};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

/// The score as a one-track MIDI file: tempo, programs, notes (off before on at one tick).
fn write_midi(score: &Score, path: &Path) {
    let mut timed: Vec<(u64, u8, TrackEventKind<'static>)> = Vec::new();
    for tempo in &score.tempo_map {
        let meta = MetaMessage::Tempo(u24::new(tempo.micros_per_quarter));
        timed.push((tempo.tick, 0, TrackEventKind::Meta(meta)));
    }
    for track in &score.tracks {
        let message = MidiMessage::ProgramChange {
            program: u7::new(track.program),
        };
        timed.push((
            0,
            1,
            TrackEventKind::Midi {
                channel: u4::new(track.channel),
                message,
            },
        ));
    }
    for note in &score.notes {
        let (channel, key) = (u4::new(note.channel), u7::new(note.pitch));
        let on = MidiMessage::NoteOn {
            key,
            vel: u7::new(note.velocity),
        };
        let off = MidiMessage::NoteOff {
            key,
            vel: u7::new(0),
        };
        timed.push((
            note.onset,
            3,
            TrackEventKind::Midi {
                channel,
                message: on,
            },
        ));
        timed.push((
            note.onset + note.length,
            2,
            TrackEventKind::Midi {
                channel,
                message: off,
            },
        ));
    }
    timed.sort_by_key(|(tick, order, _)| (*tick, *order));
    let mut track = Vec::with_capacity(timed.len() + 1);
    let mut last = 0;
    for (tick, _, kind) in timed {
        track.push(TrackEvent {
            delta: u28::new((tick - last) as u32),
            kind,
        });
        last = tick;
    }
    track.push(TrackEvent {
        delta: u28::new(0),
        kind: TrackEventKind::Meta(MetaMessage::EndOfTrack),
    });
    let mut smf = Smf::new(Header::new(
        Format::SingleTrack,
        Timing::Metrical(u15::new(score.ppq)),
    ));
    smf.tracks.push(track);
    smf.save(path).expect("write MIDI file");
}

fn render(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let score = score::long(3);
    let soundfont = audio::default_soundfont();
    let midi = dir.path().join("score.mid");
    write_midi(&score, &midi);
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
            let status = Command::new("fluidsynth")
                .args(["-ni", "-F"])
                .arg(&wav)
                .args(["-r", "44100"])
                .arg(&soundfont)
                .arg(&midi)
                .output()
                .expect("run fluidsynth (scripts/setup.sh installs it)");
            assert!(
                status.status.success(),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
