//! Fountain parse speed on a generated 146 KB, 120-page feature script (`data/script.rs`).
//! Target: `parse` ≤ 0.35 ms. jumpcut's parser runs on the same input in the same run, so
//! the ratio between the two is measured on one machine under one load.
//!
//! Two groups: wall-clock time (criterion's default) and this thread's CPU time. On a busy
//! machine wall-clock samples include the time the thread waited for a core; CPU time does
//! not, so it stays comparable while other work runs.

use std::hint::black_box;
use std::time::Duration;

use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "data/script.rs"]
mod script;

fn parse<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let text = script::feature(120);
    let mut group = c.benchmark_group(group);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("fountainai", |b| {
        b.iter(|| fountainai::fountain::parse(black_box(&text)))
    });
    group.bench_function("jumpcut", |b| b.iter(|| jumpcut::parse(black_box(&text))));
    group.finish();
}

fn wall_clock(c: &mut Criterion) {
    parse(c, "parse 120 pages");
}

fn cpu_time(c: &mut Criterion<ThreadCpu>) {
    parse(c, "parse 120 pages (thread CPU time)");
}

/// The calling thread's CPU time.
struct ThreadCpu;

impl Measurement for ThreadCpu {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }

    fn end(&self, start: ThreadTime) -> Duration {
        start.elapsed()
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, as with wall-clock time.
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}

criterion_group!(wall, wall_clock);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu_time
}
criterion_main!(wall, cpu);
