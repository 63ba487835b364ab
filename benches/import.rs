//! Screenplay import speed: the generated 120-page feature script (150 scenes, ~3,000
//! elements, 30 characters) exported as Fountain (~146 KB), then imported into a SQLite
//! file: parse + map + persist in one transaction. Target: ≤ 50 ms. Also the editor's sync
//! of the same text with one line edited, and the Fountain export.

use std::time::{Duration, Instant};

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::screenplay::{self, Format};
use fountainai::scripts;

fn import(c: &mut Criterion) {
    let runtime = common::runtime();
    let feature = common::feature(&runtime);
    let (db, script_id) = (feature.db.clone(), feature.loaded.script_id);
    let text = runtime
        .block_on(screenplay::fountain_text(&db, script_id))
        .expect("export");
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
