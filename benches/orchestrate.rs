//! Orchestration speed on the generated 120-page feature script (150 cues, 1,500 lines,
//! 30 characters): compose the Score and write score.mid, score.ly and score.csd.
//! Target: ≤ 20 ms. The story is read once, outside the measurement.

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::characters;
use fountainai::document::load_document;
use fountainai::examples::feature_script;
use fountainai::music::{compose, csound, lilypond, midi};
use fountainai::story::{self, StoryRequest};
use fountainai::Database;

fn orchestrate(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (story, cast) = runtime.block_on(async {
        let db = Database::open(&dir.path().join("bench.sqlite3"))
            .await
            .expect("open");
        let loaded = load_document(&db, &feature_script(120))
            .await
            .expect("load");
        let request = StoryRequest {
            script_id: loaded.script_id,
            session_id: loaded.session_ids.first().copied(),
            ..Default::default()
        };
        let story = story::get_full_story(&db, &request).await.expect("story");
        let cast = characters::list_characters(&db, loaded.script_id)
            .await
            .expect("characters");
        (story, cast)
    });
    c.bench_function("orchestrate 120 pages: compose + mid + ly + csd", |b| {
        b.iter(|| {
            let score = compose::compose(&story, &cast);
            let mid = midi::write(&score).expect("midi");
            let ly = lilypond::write(&score);
            let csd = csound::write(&score);
            assert_eq!(score.cues.len(), 150);
            (mid.len(), ly.len(), csd.len())
        })
    });
    c.bench_function("compose 120 pages", |b| {
        b.iter(|| compose::compose(&story, &cast))
    });
    let score = compose::compose(&story, &cast);
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
