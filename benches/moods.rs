//! Moods suggested from the text on a generated 120-page feature script (150 scenes, 1,500
//! lines). Target: suggesting every scene's mood (read, score, write the session) ≤ 20 ms,
//! both again (`fountainai moods suggest` over an unchanged script: nothing to write) and the
//! first time (what an import does: every scene's entries written into an empty session).

mod common;

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::sessions::{self, NewSession};
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
    c.bench_function("suggest moods 120 pages into an empty session", |b| {
        b.to_async(&runtime).iter_custom(|iterations| async move {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let new = NewSession {
                    script_id: Some(loaded.script_id),
                    ..NewSession::default()
                };
                let session = sessions::create_session(db, new).await.expect("session");
                let start = Instant::now();
                let suggested = moods::suggest(db, loaded.script_id, Some(session.session_id))
                    .await
                    .expect("suggested");
                spent += start.elapsed();
                assert_eq!(suggested.scenes.len(), 150);
                sessions::delete_session(db, session.session_id)
                    .await
                    .expect("deleted");
            }
            spent
        })
    });
}

criterion_group!(benches, suggest);
criterion_main!(benches);
