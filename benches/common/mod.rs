//! What the benches share: the generated 120-page feature script loaded into a SQLite file.

use fountainai::document::{load_document, LoadedScript};
use fountainai::examples::feature_script;
use fountainai::Database;

/// The feature script in a database file that lives as long as this value.
pub struct Feature {
    pub db: Database,
    pub loaded: LoadedScript,
    _dir: Option<tempfile::TempDir>,
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn feature(runtime: &tokio::runtime::Runtime) -> Feature {
    feature_of(runtime, 120)
}

/// The generated feature script of about `pages` pages.
pub fn feature_of(runtime: &tokio::runtime::Runtime, pages: usize) -> Feature {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = runtime
        .block_on(Database::open(&dir.path().join("bench.sqlite3")))
        .expect("open");
    Feature {
        _dir: Some(dir),
        ..feature_in(runtime, db, pages)
    }
}

/// The generated feature script of about `pages` pages loaded into `db` (a writers' room too).
pub fn feature_in(runtime: &tokio::runtime::Runtime, db: Database, pages: usize) -> Feature {
    let loaded = runtime
        .block_on(load_document(&db, &feature_script(pages)))
        .expect("load");
    Feature {
        db,
        loaded,
        _dir: None,
    }
}
