//! Story bundle speed: the generated 120-page feature script (150 scenes, ~3,000 elements, 30
//! characters, one session with a mood per scene) exported as a `.fountainai` bundle without
//! rendering (story, document, Fountain, FDX, PDF, MIDI, LilyPond, Csound, zipped), and that
//! bundle imported as a new script (every check, then one transaction). Target: ≤ 100 ms each.

use std::time::{Duration, Instant};

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::bundle::{self, ExportOptions};
use fountainai::scripts;

fn bundle(c: &mut Criterion) {
    let runtime = common::runtime();
    let feature = common::feature(&runtime);
    let (db, script_id) = (feature.db.clone(), feature.loaded.script_id);
    let options = ExportOptions {
        session_id: feature.loaded.session_ids.first().copied(),
        render: false,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feature.fountainai");
    let done = runtime
        .block_on(bundle::export_file(
            &db,
            script_id,
            &options,
            &path,
            &mut |_| {},
        ))
        .expect("export");
    eprintln!("120-page story bundle: {} bytes", done.bytes);
    c.bench_function("export 120-page story bundle", |b| {
        b.to_async(&runtime).iter(|| async {
            bundle::export(&db, script_id, &options, &mut |_| {})
                .await
                .expect("export")
        })
    });
    c.bench_function("import 120-page story bundle", |b| {
        b.to_async(&runtime).iter_custom(|iters| {
            let (db, path) = (db.clone(), path.clone());
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let loaded = bundle::import_file(&db, &path).await.expect("import");
                    total += start.elapsed();
                    // Keep the file the same size from one sample to the next.
                    scripts::delete_script(&db, loaded.script_id)
                        .await
                        .expect("delete");
                }
                total
            }
        })
    });
}

criterion_group!(benches, bundle);
criterion_main!(benches);
