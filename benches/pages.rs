//! Pagination speed on the generated 120-page feature script, stored in a SQLite file: the
//! core's `screenplay::pages` (read the stored script's text, parse, paginate as Final Draft
//! would) is what the editor runs after every autosave. Target: ≤ 10 ms. Also the paginator
//! alone on the parsed script, and the whole PDF export (layout, font subsets, file).

use std::hint::black_box;

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::screenplay::pages::{self, Paper};
use fountainai::screenplay::{self, pdf};

/// `screenplay::pages` of a stored script: read, parse and paginate, as the editor asks.
fn stored_pages(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    name: &str,
    db: &fountainai::Database,
    script_id: i64,
) {
    c.bench_function(name, |b| {
        b.to_async(runtime).iter(|| async {
            screenplay::pages(db, script_id, Paper::Letter)
                .await
                .expect("pages")
        })
    });
}

fn paginate(c: &mut Criterion) {
    let runtime = common::runtime();
    let feature = common::feature(&runtime);
    let (db, script_id) = (feature.db.clone(), feature.loaded.script_id);
    let text = runtime
        .block_on(screenplay::fountain_text(&db, script_id))
        .expect("text");
    let parsed = fountainai::fountain::parse(&text);
    let count = pages::breaks(&parsed, Paper::Letter).0;
    eprintln!("the stored 120-page feature paginates to {count} pages");
    stored_pages(
        c,
        &runtime,
        "pages of the stored 120-page script",
        &db,
        script_id,
    );
    c.bench_function("paginate the parsed 120-page script", |b| {
        b.iter(|| pages::breaks(black_box(&parsed), Paper::Letter))
    });
    // The generator's "120 pages" prints 196: a script that really prints 120 pages, too.
    let printed = common::feature_of(&runtime, 73);
    let (db120, id120) = (printed.db.clone(), printed.loaded.script_id);
    let count = runtime
        .block_on(screenplay::pages(&db120, id120, Paper::Letter))
        .expect("pages")
        .count;
    eprintln!("the smaller generated script paginates to {count} pages");
    stored_pages(
        c,
        &runtime,
        "pages of a stored script that prints 120 pages",
        &db120,
        id120,
    );
    let options = pdf::PdfOptions::default();
    c.bench_function("PDF of the 120-page script", |b| {
        b.iter(|| pdf::export(black_box(&parsed), &options).expect("pdf"))
    });
}

criterion_group!(benches, paginate);
criterion_main!(benches);
