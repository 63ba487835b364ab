//! Screenplay import speed: the generated 120-page feature script (150 scenes, ~3,000
//! elements, 30 characters) exported as Fountain (~146 KB), then imported into a SQLite
//! file: parse + map + persist in one transaction. Target: ≤ 50 ms. Also the editor's sync
//! of the same text with one line edited and with 300 action lines moved and retouched, and
//! the Fountain export.

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
    let name = "sync 120-page script, one line edited";
    sync_back_and_forth(c, &runtime, &feature, name, [&edited, &text]);
    // What the rework does to the elements: every line moved and edited keeps its row.
    let reworked = reworked(&text);
    for version in [&reworked, &text] {
        let summary = runtime
            .block_on(screenplay::sync(&db, script_id, version))
            .expect("sync");
        eprintln!("the rework synced: {:?}", summary.elements);
    }
    let name = "sync 120-page script, 300 lines moved and edited";
    sync_back_and_forth(c, &runtime, &feature, name, [&reworked, &text]);
}

/// Each iteration syncs the next of the two versions of the script, so each is a change.
fn sync_back_and_forth(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    feature: &common::Feature,
    name: &str,
    versions: [&String; 2],
) {
    let (db, script_id) = (&feature.db, feature.loaded.script_id);
    let mut flip = false;
    c.bench_function(name, |b| {
        b.to_async(runtime).iter(|| {
            flip = !flip;
            let version = versions[usize::from(!flip)].clone();
            let db = db.clone();
            async move {
                screenplay::sync(&db, script_id, &version)
                    .await
                    .expect("sync")
            }
        })
    });
}

/// `text` with its first 300 action paragraphs (one line, not all capitals) retouched and in
/// reverse order: a writer's rework of the first acts, every line moved and edited.
fn reworked(text: &str) -> String {
    let mut blocks: Vec<String> = text.split("\n\n").map(str::to_string).collect();
    let is_action = |b: &str| !b.contains('\n') && b.chars().any(char::is_lowercase);
    let actions: Vec<usize> = (0..blocks.len())
        .filter(|i| is_action(&blocks[*i]))
        .take(300)
        .collect();
    let retouched: Vec<String> = actions
        .iter()
        .rev()
        .map(|i| {
            let (body, mark) = blocks[*i].split_at(blocks[*i].len() - 1);
            format!("{body}, slowly{mark}")
        })
        .collect();
    for (i, block) in actions.iter().zip(retouched) {
        blocks[*i] = block;
    }
    blocks.join("\n\n")
}

criterion_group!(benches, import);
criterion_main!(benches);
