//! Big scripts: the generated feature script at 120 and at 1,000 pages (`examples::
//! feature_script`'s scale parameter) imported from Fountain, synced with one line edited,
//! assembled as the FullStory, orchestrated (MIDI, LilyPond and Csound files) and exported to
//! PDF. Besides criterion's times, each step's peak resident memory is measured once per size
//! (the kernel's high-water mark, reset before the step) and a table printed with the
//! 1,000-page figures against the 120-page ones: none may grow faster than the pages do.
//!
//! `cargo bench --bench big_script` (about 4 minutes).

use std::future::Future;
use std::time::{Duration, Instant};

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::screenplay::{self, Format};
use fountainai::scripts;
use fountainai::story::{self, orchestrate, StoryRequest};

const SIZES: [usize; 2] = [120, 1000];

/// Peak resident memory (kB) since the last [`reset_peak`].
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the high-water mark to the current resident size (Linux's clear_refs 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One run of `step`: its time and the peak memory above what was resident before it.
fn measure<F: Future>(runtime: &tokio::runtime::Runtime, step: F) -> (Duration, u64) {
    reset_peak();
    let before = peak_kb();
    let start = Instant::now();
    runtime.block_on(step);
    (start.elapsed(), peak_kb().saturating_sub(before))
}

fn big_script(c: &mut Criterion) {
    let runtime = common::runtime();
    let mut table: Vec<(usize, &'static str, Duration, u64)> = Vec::new();
    for pages in SIZES {
        let feature = match pages {
            120 => common::feature(&runtime),
            n => common::feature_of(&runtime, n),
        };
        let (db, script_id) = (feature.db.clone(), feature.loaded.script_id);
        let session = feature.loaded.session_ids.first().copied();
        let text = runtime
            .block_on(screenplay::fountain_text(&db, script_id))
            .expect("export");
        let edited = text.replacen("CUT TO:", "SMASH CUT TO:", 1);
        let out = tempfile::tempdir().expect("temp dir");
        let request = StoryRequest {
            script_id,
            session_id: session,
            filter_by_character: None,
            filter_by_context: None,
        };
        let import = || async {
            let summary = screenplay::import_text(&db, &text, Format::Fountain)
                .await
                .expect("import");
            scripts::delete_script(&db, summary.script_id)
                .await
                .expect("delete");
        };
        let mut flip = false;
        let mut sync = || {
            flip = !flip;
            let version = if flip { edited.clone() } else { text.clone() };
            let db = db.clone();
            async move {
                screenplay::sync(&db, script_id, &version)
                    .await
                    .expect("sync");
            }
        };
        let assemble = || async {
            story::get_full_story(&db, &request)
                .await
                .expect("the full story");
        };
        let compose = || async {
            orchestrate::orchestrate(
                &db,
                script_id,
                session,
                out.path(),
                &orchestrate::Options { render: false },
                &mut |_| {},
            )
            .await
            .expect("orchestrate");
        };
        let pdf = || async {
            screenplay::export(&db, script_id, Format::Pdf)
                .await
                .expect("PDF");
        };
        // A first import warms the file and the allocator; the second is measured.
        measure(&runtime, import());
        let (t, m) = measure(&runtime, import());
        table.push((pages, "import", t, m));
        let (t, m) = measure(&runtime, sync());
        table.push((pages, "sync one edit", t, m));
        let (t, m) = measure(&runtime, assemble());
        table.push((pages, "assemble", t, m));
        let (t, m) = measure(&runtime, compose());
        table.push((pages, "orchestrate", t, m));
        let (t, m) = measure(&runtime, pdf());
        table.push((pages, "export PDF", t, m));

        let mut group = c.benchmark_group(format!("{pages}-page script"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if pages > 120 { 20 } else { 5 }));
        group.bench_function("import", |b| b.iter(|| runtime.block_on(import())));
        group.bench_function("sync one edit", |b| b.iter(|| runtime.block_on(sync())));
        group.bench_function("assemble", |b| b.iter(|| runtime.block_on(assemble())));
        group.bench_function("orchestrate", |b| b.iter(|| runtime.block_on(compose())));
        group.bench_function("export PDF", |b| b.iter(|| runtime.block_on(pdf())));
        group.finish();
    }
    report(&table);
}

/// The single-run figures side by side, with how much faster than the pages each grew.
fn report(table: &[(usize, &str, Duration, u64)]) {
    let ratio = SIZES[1] as f64 / SIZES[0] as f64;
    eprintln!(
        "\nstep             120 pages (ms, peak MB)   1000 pages (ms, peak MB)   time x/{ratio:.1}  memory x/{ratio:.1}"
    );
    for (_, step, small_t, small_m) in table.iter().filter(|r| r.0 == SIZES[0]) {
        let Some((_, _, big_t, big_m)) = table.iter().find(|r| r.0 == SIZES[1] && r.1 == *step)
        else {
            continue;
        };
        let grow_t = big_t.as_secs_f64() / small_t.as_secs_f64().max(1e-9) / ratio;
        let grow_m = *big_m as f64 / (*small_m as f64).max(1.0) / ratio;
        eprintln!(
            "{step:<16} {:>10.1} {:>8.1}           {:>10.1} {:>8.1}            {grow_t:>6.2}     {grow_m:>6.2}",
            small_t.as_secs_f64() * 1e3,
            *small_m as f64 / 1024.0,
            big_t.as_secs_f64() * 1e3,
            *big_m as f64 / 1024.0,
        );
    }
}

criterion_group!(benches, big_script);
criterion_main!(benches);
