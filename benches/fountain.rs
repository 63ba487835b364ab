//! Fountain parse speed on a generated 146 KB, 120-page feature script (`data/script.rs`).
//! Target: `parse` ≤ 0.35 ms. jumpcut's parser runs on the same input in the same run, so
//! the ratio between the two is measured on one machine under one load.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "data/script.rs"]
mod script;

fn parse(c: &mut Criterion) {
    let text = script::feature(120);
    let mut group = c.benchmark_group("parse 120 pages");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("fountainai", |b| {
        b.iter(|| fountainai::fountain::parse(black_box(&text)))
    });
    group.bench_function("jumpcut", |b| b.iter(|| jumpcut::parse(black_box(&text))));
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
