//! Screenplay import speed: the generated 120-page feature script (150 scenes, ~3,000
//! elements, 30 characters) exported as Fountain (~146 KB), then imported into a SQLite
//! file: parse + map + persist in one transaction. Target: ≤ 50 ms. Also the editor's sync
//! of the same text with one line edited, and the Fountain export.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::document::load_document;
use fountainai::examples::feature_script;
use fountainai::screenplay::{self, Format};
use fountainai::{scripts, Database};

fn import(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, script_id, text) = runtime.block_on(async {
        let db = Database::open(&dir.path().join("bench.sqlite3"))
            .await
            .expect("open");
        let loaded = load_document(&db, &feature_script(120))
            .await
            .expect("load");
        let text = screenplay::fountain_text(&db, loaded.script_id)
            .await
            .expect("export");
        (db, loaded.script_id, text)
    });
    eprintln!("120-page script as Fountain: {} bytes", text.len());
    c.bench_function("import 120-page Fountain script", |b| {
        b.to_async(&runtime).iter_custom(|iters| {
            let db = db.clone();
            let text = text.clone();
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let summary = screenplay::import_text(&db, &text, Format::Fountain)
                        .await
                        .expect("import");
                    total += start.elapsed();
                    // Keep the file the same size from one sample to the next.
                    scripts::delete_script(&db, summary.script_id)
                        .await
                        .expect("delete");
                }
                total
            }
        })
    });
    c.bench_function("export 120-page script as Fountain", |b| {
        b.to_async(&runtime).iter(|| async {
            screenplay::fountain_text(&db, script_id)
                .await
                .expect("export")
        })
    });
    let edited = text.replacen("CUT TO:", "SMASH CUT TO:", 1);
    let mut flip = false;
    c.bench_function("sync 120-page script, one line edited", |b| {
        b.to_async(&runtime).iter(|| {
            flip = !flip;
            let version = if flip { &edited } else { &text };
            let db = db.clone();
            let version = version.clone();
            async move {
                screenplay::sync(&db, script_id, &version)
                    .await
                    .expect("sync")
            }
        })
    });
}

criterion_group!(benches, import);
criterion_main!(benches);
