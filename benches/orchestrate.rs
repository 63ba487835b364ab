//! Orchestration speed on the generated 120-page feature script (150 cues, 1,500 lines,
//! 30 characters): compose the Score and write score.mid, score.ly and score.csd.
//! Target: ≤ 20 ms. The story is read once, outside the measurement.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::characters;
use fountainai::music::{compose, csound, lilypond, midi};
use fountainai::story::{self, orchestrate as factory, StoryRequest};

fn orchestrate(c: &mut Criterion) {
    let runtime = common::runtime();
    let common::Feature { db, loaded, .. } = &common::feature(&runtime);
    let (story, cast) = &runtime.block_on(async {
        let request = StoryRequest {
            script_id: loaded.script_id,
            session_id: loaded.session_ids.first().copied(),
            ..Default::default()
        };
        let story = story::get_full_story(db, &request).await.expect("story");
        let cast = characters::list_characters(db, loaded.script_id)
            .await
            .expect("characters");
        (story, cast)
    });
    c.bench_function("orchestrate 120 pages: compose + mid + ly + csd", |b| {
        b.iter(|| {
            let score = compose::compose(&factory::brief(story, cast));
            let mid = midi::write(&score).expect("midi");
            let ly = lilypond::write(&score);
            let csd = csound::write(&score);
            assert_eq!(score.cues.len(), 150);
            (mid.len(), ly.len(), csd.len())
        })
    });
    let brief = factory::brief(story, cast);
    c.bench_function("compose 120 pages", |b| b.iter(|| compose::compose(&brief)));
    let score = compose::compose(&brief);
    c.bench_function("write score.mid, 120 pages", |b| {
        b.iter(|| midi::write(&score).expect("midi"))
    });
    c.bench_function("write score.ly, 120 pages", |b| {
        b.iter(|| lilypond::write(&score))
    });
    c.bench_function("write score.csd, 120 pages", |b| {
        b.iter(|| csound::write(&score))
    });
}

criterion_group!(benches, orchestrate);
criterion_main!(benches);
