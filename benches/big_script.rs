//! Big scripts: the generated feature script at 120 and at 1,000 pages (`examples::
//! feature_script`'s scale parameter) imported from Fountain, synced with one line edited,
//! assembled as the FullStory, orchestrated (MIDI, LilyPond and Csound files) and exported to
//! PDF. Besides criterion's times, each step's peak heap (a counting allocator) and time are
//! measured once per size and a table printed with the 1,000-page figures against the 120-page
//! ones: none may grow faster than the pages do.
//!
//! `cargo bench --bench big_script` (about 4 minutes).

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use fountainai::screenplay::{self, Format};
use fountainai::scripts;
use fountainai::story::{self, orchestrate, StoryRequest};

const SIZES: [usize; 2] = [120, 1000];

/// The system allocator, counting the bytes in use and their high-water mark, so each step's
/// peak heap is measured exactly (resident memory would hide reuse of freed pages).
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout goes to the system allocator unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One run of `step`: its output, its time and its peak heap above what was in use before.
fn measure<F: Future>(runtime: &tokio::runtime::Runtime, step: F) -> (F::Output, Duration, u64) {
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = runtime.block_on(step);
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (out, elapsed, peak as u64 / 1024)
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
            screenplay::import_text(&db, &text, Format::Fountain)
                .await
                .expect("import")
                .script_id
        };
        let delete = |id: i64| {
            let db = db.clone();
            async move { scripts::delete_script(&db, id).await.expect("delete") }
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
        let (id, _, _) = measure(&runtime, import());
        runtime.block_on(delete(id));
        let (id, t, m) = measure(&runtime, import());
        table.push((pages, "import", t, m));
        let ((), t, m) = measure(&runtime, delete(id));
        table.push((pages, "delete script", t, m));
        let ((), t, m) = measure(&runtime, sync());
        table.push((pages, "sync one edit", t, m));
        let ((), t, m) = measure(&runtime, assemble());
        table.push((pages, "assemble", t, m));
        let ((), t, m) = measure(&runtime, compose());
        table.push((pages, "orchestrate", t, m));
        let ((), t, m) = measure(&runtime, pdf());
        table.push((pages, "export PDF", t, m));

        let mut group = c.benchmark_group(format!("{pages}-page script"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if pages > 120 { 20 } else { 5 }));
        group.bench_function("import", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let id = runtime.block_on(import());
                    total += start.elapsed();
                    // The file stays the same size from one sample to the next.
                    runtime.block_on(delete(id));
                }
                total
            })
        });
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
