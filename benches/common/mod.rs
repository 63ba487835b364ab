//! What the benches share: the generated 120-page feature script loaded into a SQLite file.

use fountainai::document::{load_document, LoadedScript};
use fountainai::examples::feature_script;
use fountainai::Database;

/// The feature script in a database file that lives as long as this value.
pub struct Feature {
    pub db: Database,
    pub loaded: LoadedScript,
    _dir: tempfile::TempDir,
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
    let (db, loaded) = runtime.block_on(async {
        let db = Database::open(&dir.path().join("bench.sqlite3"))
            .await
            .expect("open");
        let loaded = load_document(&db, &feature_script(pages))
            .await
            .expect("load");
        (db, loaded)
    });
    Feature {
        db,
        loaded,
        _dir: dir,
    }
}
