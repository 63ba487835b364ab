//! Moods suggested from the text on a generated 120-page feature script (150 scenes, 1,500
//! lines). Target: suggesting every scene's mood (read, score, write the session) ≤ 20 ms.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::story::moods;

fn suggest(c: &mut Criterion) {
    let runtime = common::runtime();
    let common::Feature { db, loaded, .. } = &common::feature(&runtime);
    c.bench_function("suggest moods 120 pages", |b| {
        b.to_async(&runtime).iter(|| async {
            let suggested = moods::suggest(db, loaded.script_id, None)
                .await
                .expect("suggested");
            assert_eq!(suggested.scenes.len(), 150);
            suggested
        })
    });
}

criterion_group!(benches, suggest);
criterion_main!(benches);
