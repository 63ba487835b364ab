//! Live timing. The scheduler's lateness (when a message reached the output minus its due
//! instant) against an in-process sink that timestamps every message: 1,000 events 1 ms apart
//! and a dense chord passage; target p99 <= 200 us and max <= 1 ms on an idle machine. The
//! preview voice: time from play to the first non-silent sample handed to a device pulling
//! 512-frame buffers in real time (target <= 100 ms), and its real-time factor on one core.
//! Each measurement is printed as p50/p99/max (or the factor) after its benchmark.

#[path = "../tests/common/score.rs"]
mod score;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode};
use fountainai::live::player::{self, Command, Player};
use fountainai::live::preview::Voice;
use fountainai::live::Output;
use fountainai::music::{audio, Note, Score, TempoChange};
use fountainai::Result;

const DEVICE_RATE: u32 = 48_000;
const DEVICE_BUFFER: usize = 512;

/// Stamps how late each note message arrives.
struct Stamping(Arc<Mutex<Vec<Duration>>>);

impl Output for Stamping {
    fn send(&mut self, due: Instant, message: &[u8]) -> Result<()> {
        let late = Instant::now().saturating_duration_since(due);
        // Resets and programs are sent "now": only the score's notes have a due instant.
        if matches!(message[0] & 0xF0, 0x80 | 0x90) {
            self.0.lock().expect("lateness list").push(late);
        }
        Ok(())
    }

    fn describe(&self) -> String {
        "a timestamping sink".into()
    }
}

/// A score at 125 bpm, where a tick is exactly a millisecond, with these notes.
fn millisecond_score(notes: Vec<Note>) -> Score {
    let mut score = score::two_cues();
    score.tempo_map = vec![TempoChange {
        tick: 0,
        micros_per_quarter: 480_000,
    }];
    score.cues.clear();
    score.notes = notes;
    score
}

fn note(onset: u64, length: u64, pitch: u8) -> Note {
    Note {
        onset,
        length,
        track: 0,
        channel: 0,
        pitch,
        velocity: 90,
    }
}

/// 1,000 messages 1 ms apart: 500 one-millisecond notes.
fn spaced() -> Score {
    millisecond_score(
        (0..500)
            .map(|i| note(2 * i, 1, 60 + (i % 24) as u8))
            .collect(),
    )
}

/// A second of 32-note chords every 50 ms, each cut off as the next one starts.
fn dense() -> Score {
    let notes = (0..20u64)
        .flat_map(|chord| (0..32u8).map(move |i| note(chord * 50, 50, 40 + i)))
        .collect();
    millisecond_score(notes)
}

fn play(score: &Score) -> Vec<Duration> {
    let stamps = Arc::new(Mutex::new(Vec::new()));
    let sink = Stamping(Arc::clone(&stamps));
    player::play_through(
        score,
        Box::new(sink),
        0.0,
        player::Options::default(),
        &mut |_| {},
    )
    .expect("play");
    let late = stamps.lock().expect("lateness list").clone();
    late
}

fn summary(what: &str, mut late: Vec<Duration>) {
    late.sort();
    let at = |q: usize| late.get((late.len() * q / 100).min(late.len().saturating_sub(1)));
    println!(
        "{what}: {} messages, lateness p50 {:?}, p99 {:?}, max {:?}",
        late.len(),
        at(50).copied().unwrap_or_default(),
        at(99).copied().unwrap_or_default(),
        late.last().copied().unwrap_or_default()
    );
}

/// Ten flat samples: every run plays in real time, so criterion must not multiply them.
fn real_time_group<'c>(
    c: &'c mut Criterion,
    name: &str,
    measurement: Duration,
) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(measurement);
    group
}

fn scheduler(c: &mut Criterion) {
    let mut group = real_time_group(
        c,
        "live scheduler lateness (p99 per run)",
        Duration::from_secs(5),
    );
    for (name, score) in [
        ("1000 events 1 ms apart", spaced()),
        ("dense chords", dense()),
    ] {
        let all = Mutex::new(Vec::new());
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut late = play(&score);
                    late.sort();
                    total += late[late.len() * 99 / 100];
                    all.lock().expect("all").extend(late);
                }
                total
            })
        });
        summary(name, all.into_inner().expect("all"));
    }
    group.finish();
}

/// Pulls the voice like a sound card would: a buffer each time one has played.
fn first_sound(voice: &mut Voice, started: Instant) -> Instant {
    let buffer = Duration::from_secs_f64(DEVICE_BUFFER as f64 / f64::from(DEVICE_RATE));
    for n in 0u32.. {
        spin_sleep::sleep_until(started + buffer * n);
        let loud = voice
            .by_ref()
            .take(2 * DEVICE_BUFFER)
            .any(|s| s.abs() > 1e-4);
        if loud {
            return Instant::now();
        }
        assert!(n < 1000, "no sound within 10 s");
    }
    unreachable!()
}

fn preview(c: &mut Criterion) {
    let soundfont = audio::load_soundfont(&audio::default_soundfont()).expect("SoundFont");
    let score = millisecond_score(vec![note(0, 1000, 69)]);
    let mut group = real_time_group(c, "live preview", Duration::from_secs(3));
    let delays = Mutex::new(Vec::new());
    group.bench_function("play to first sound", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (mut voice, output) = Voice::new(&soundfont, DEVICE_RATE).expect("voice");
                let options = player::Options::default();
                let (player, _reports) =
                    Player::start(&score, Box::new(output), options).expect("player");
                // The device is already running when the writer presses play.
                let started = Instant::now();
                let _ = voice.by_ref().take(2 * DEVICE_BUFFER).count();
                player.send(Command::Play(0.0)).expect("play");
                let pressed = Instant::now();
                let delay = first_sound(&mut voice, started).duration_since(pressed);
                delays.lock().expect("delays").push(delay);
                total += delay;
            }
            total
        })
    });
    summary("play to first sound", delays.into_inner().expect("delays"));

    // Real-time factor: two seconds of a six-note chord with reverb, rendered flat out.
    let chord = millisecond_score((0..6).map(|i| note(0, 2000, 57 + 4 * i)).collect());
    let factors = Mutex::new(Vec::new());
    group.bench_function("voice, 2 s of a chord", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (mut voice, mut output) = Voice::new(&soundfont, DEVICE_RATE).expect("voice");
                let now = Instant::now();
                for n in &chord.notes {
                    output
                        .send(now, &[0x90, n.pitch, n.velocity])
                        .expect("note");
                }
                let started = Instant::now();
                let frames = 2 * DEVICE_RATE as usize;
                let sum: f32 = voice.by_ref().take(2 * frames).sum();
                let took = started.elapsed();
                std::hint::black_box(sum);
                factors
                    .lock()
                    .expect("factors")
                    .push(took.as_secs_f64() / 2.0);
                total += took;
            }
            total
        })
    });
    let factors = factors.into_inner().expect("factors");
    let mean = factors.iter().sum::<f64>() / factors.len().max(1) as f64;
    println!("preview voice real-time factor: {mean:.4} (render time / audio time, one core)");
    group.finish();
}

criterion_group!(benches, scheduler, preview);
criterion_main!(benches);
