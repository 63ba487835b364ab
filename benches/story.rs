//! Story Factory speed on a generated 120-page feature script (150 scenes, 1,500 lines,
//! 30 characters). Target: getFullStory ≤ 5 ms.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::document::load_document;
use fountainai::examples::feature_script;
use fountainai::story::{self, StoryRequest};

fn full_story(c: &mut Criterion) {
    let runtime = common::runtime();
    let common::Feature { db, loaded, .. } = &common::feature(&runtime);
    let with_session = StoryRequest {
        script_id: loaded.script_id,
        session_id: loaded.session_ids.first().copied(),
        ..Default::default()
    };
    c.bench_function("getFullStory 120 pages with session", |b| {
        b.to_async(&runtime).iter(|| async {
            let full = story::get_full_story(db, &with_session)
                .await
                .expect("story");
            assert_eq!(full.sections.len(), 150);
            full
        })
    });
    c.bench_function("getStorySequences 120 pages, 100 items", |b| {
        b.to_async(&runtime).iter(|| async {
            story::get_story_sequences(db, loaded.script_id, 1000, 1099, None)
                .await
                .expect("sequences")
        })
    });
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("load 120-page script document", |b| {
        b.to_async(&runtime)
            .iter(|| async { load_document(db, &feature_script(120)).await.expect("load") })
    });
    group.finish();
}

criterion_group!(benches, full_story);
criterion_main!(benches);
