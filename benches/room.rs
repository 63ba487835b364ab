//! The writers' room on PostgreSQL next to a SQLite file, in one report: getFullStory, the
//! import and the editor's sync (one line edited) of the generated 120-page feature script
//! (target: PostgreSQL within 2× of SQLite), and ten writers' apps, each with its own pool,
//! adding 50 lines apiece to one scene at once (lines per second).
//!
//! The PostgreSQL cases need a server where the bench may create databases, named by
//! `FOUNTAINAI_TEST_PG` (`scripts/test.sh` starts a throwaway one); without it they are skipped
//! and only the SQLite cases run. Each group's room is a new database, dropped at the end.

use std::time::{Duration, Instant};

mod common;
#[path = "../tests/common/mod.rs"]
mod test_db;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fountainai::screenplay::{self, Format};
use fountainai::scripts::{self, ElementKind, NewElement};
use fountainai::story::{self, StoryRequest};
use fountainai::Database;
use tokio::runtime::Runtime;

const WRITERS: usize = 10;
const LINES_EACH: usize = 50;

/// A new database on the server of `FOUNTAINAI_TEST_PG`, or `None` (said once) without one.
fn room(runtime: &Runtime) -> Option<Room> {
    if std::env::var_os(test_db::PG_ENV).is_none() {
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            eprintln!(
                "room bench: {} is not set, so the postgres cases are skipped. They need a \
             PostgreSQL server where the bench may create databases: `scripts/test.sh` starts a \
             throwaway one, or point {} at yours.",
                test_db::PG_ENV,
                test_db::PG_ENV
            )
        });
        return None;
    }
    let url = runtime.block_on(test_db::fresh_pg_database());
    Some(Room { url })
}

/// A database of ours on the PostgreSQL server.
struct Room {
    url: String,
}

impl Room {
    fn open(&self, runtime: &Runtime) -> Database {
        runtime
            .block_on(Database::open_url(&self.url))
            .expect("open the room")
    }

    /// Drops the database, with whatever pools are still on it.
    fn drop_database(self, runtime: &Runtime) {
        runtime.block_on(test_db::drop_pg_database(&test_db::pg_url(), &self.url));
    }
}

/// The feature script on each engine: SQLite always, PostgreSQL when there is a server.
fn features(runtime: &Runtime) -> (Vec<(&'static str, common::Feature)>, Option<Room>) {
    let mut features = vec![("sqlite", common::feature(runtime))];
    let room = room(runtime);
    if let Some(room) = &room {
        let db = room.open(runtime);
        features.push(("postgres", common::feature_in(runtime, db, 120)));
    }
    (features, room)
}

fn full_story(c: &mut Criterion) {
    let runtime = common::runtime();
    let (features, room) = features(&runtime);
    let mut group = c.benchmark_group("get_full_story");
    for (engine, feature) in &features {
        let request = StoryRequest {
            script_id: feature.loaded.script_id,
            session_id: feature.loaded.session_ids.first().copied(),
            ..Default::default()
        };
        group.bench_function(*engine, |b| {
            b.to_async(&runtime).iter(|| async {
                let full = story::get_full_story(&feature.db, &request)
                    .await
                    .expect("story");
                assert_eq!(full.sections.len(), 150);
                full
            })
        });
    }
    group.finish();
    finish(&runtime, features, room);
}

fn import(c: &mut Criterion) {
    let runtime = common::runtime();
    let (features, room) = features(&runtime);
    let text = fountain_of(&runtime, &features[0].1);
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for (engine, feature) in &features {
        let (db, text) = (&feature.db, &text);
        group.bench_function(*engine, |b| {
            b.to_async(&runtime).iter_custom(|iters| async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let summary = screenplay::import_text(db, text, Format::Fountain)
                        .await
                        .expect("import");
                    total += start.elapsed();
                    // The database stays the same size from one sample to the next.
                    scripts::delete_script(db, summary.script_id)
                        .await
                        .expect("delete");
                }
                total
            })
        });
    }
    group.finish();
    finish(&runtime, features, room);
}

fn editor_sync(c: &mut Criterion) {
    let runtime = common::runtime();
    let (features, room) = features(&runtime);
    let text = fountain_of(&runtime, &features[0].1);
    let edited = text.replacen("CUT TO:", "SMASH CUT TO:", 1);
    let mut group = c.benchmark_group("editor_sync");
    group.sample_size(20);
    for (engine, feature) in &features {
        let (db, script_id) = (&feature.db, feature.loaded.script_id);
        // Each iteration syncs the other version, so each is a change.
        let mut flip = false;
        group.bench_function(*engine, |b| {
            b.to_async(&runtime).iter(|| {
                flip = !flip;
                let version = if flip { &edited } else { &text };
                async move {
                    screenplay::sync(db, script_id, version)
                        .await
                        .expect("sync")
                }
            })
        });
    }
    group.finish();
    finish(&runtime, features, room);
}

/// Ten writers' apps on one database, each with its own pool, each adding its lines to the
/// end of the same new scene at once.
fn ten_writers(c: &mut Criterion) {
    let runtime = common::runtime();
    let sqlite = tempfile::tempdir().expect("temp dir");
    let file = sqlite.path().join("room.sqlite3");
    let room = room(&runtime);
    let mut engines: Vec<(&str, Vec<Database>)> =
        vec![("sqlite", pools(&runtime, || Database::open(&file)))];
    if let Some(room) = &room {
        engines.push((
            "postgres",
            pools(&runtime, || Database::open_url(&room.url)),
        ));
    }
    let mut group = c.benchmark_group("ten_writers");
    group.sample_size(10);
    group.throughput(Throughput::Elements((WRITERS * LINES_EACH) as u64));
    for (engine, writers) in &engines {
        let script = runtime
            .block_on(test_db::script(&writers[0], "The Room"))
            .script_id;
        let id = BenchmarkId::new(*engine, format!("{WRITERS}x{LINES_EACH} lines"));
        group.bench_function(id, |b| {
            b.to_async(&runtime).iter_custom(|iters| async move {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += write_one_scene(writers, script).await;
                }
                total
            })
        });
    }
    group.finish();
    for (_, writers) in engines {
        runtime.block_on(async {
            for db in writers {
                db.close().await;
            }
        });
    }
    if let Some(room) = room {
        room.drop_database(&runtime);
    }
}

/// The time the writers take to add their lines to a new scene, which goes afterwards.
async fn write_one_scene(writers: &[Database], script_id: i64) -> Duration {
    let scene = test_db::section(&writers[0], script_id, "INT. WRITERS' ROOM - NIGHT").await;
    let start = Instant::now();
    let tasks: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(w, db)| {
            let db = db.clone();
            tokio::spawn(async move {
                for n in 0..LINES_EACH {
                    let line = NewElement {
                        kind: ElementKind::Action,
                        text: format!("Writer {w} adds line {n}."),
                        character_id: None,
                        parenthetical: None,
                        position: None,
                    };
                    scripts::add_element(&db, scene.heading_id, line)
                        .await
                        .expect("add a line");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a writer");
    }
    let took = start.elapsed();
    let lines = scripts::list_elements(&writers[0], scene.heading_id)
        .await
        .expect("the lines");
    assert_eq!(lines.len(), WRITERS * LINES_EACH, "every line is there");
    scripts::delete_section(&writers[0], scene.heading_id)
        .await
        .expect("the scene goes");
    took
}

/// Ten pools on one database, as ten writers' apps open it.
fn pools<F, O>(runtime: &Runtime, open: F) -> Vec<Database>
where
    F: Fn() -> O,
    O: std::future::Future<Output = fountainai::Result<Database>>,
{
    runtime.block_on(async {
        let mut pools = Vec::with_capacity(WRITERS);
        for _ in 0..WRITERS {
            pools.push(open().await.expect("a writer's pool"));
        }
        pools
    })
}

fn fountain_of(runtime: &Runtime, feature: &common::Feature) -> String {
    runtime
        .block_on(screenplay::fountain_text(
            &feature.db,
            feature.loaded.script_id,
        ))
        .expect("export")
}

/// Closes the pools, then drops the room's database.
fn finish(runtime: &Runtime, features: Vec<(&str, common::Feature)>, room: Option<Room>) {
    runtime.block_on(async {
        for (_, feature) in features {
            feature.db.close().await;
        }
    });
    if let Some(room) = room {
        room.drop_database(runtime);
    }
}

criterion_group!(benches, full_story, import, editor_sync, ten_writers);
criterion_main!(benches);
