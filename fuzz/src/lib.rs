//! What each fuzz target does with its input, shared with the main crate's
//! `tests/fuzz_regressions.rs` (which includes this file), so every crash found stays a test.
//! Each function takes any bytes and must return without panicking.

use std::io::Cursor;
use std::sync::OnceLock;

use fountainai::bundle::{self, DOCUMENT};
use fountainai::document::{self, ScriptDocument};
use fountainai::fountain::{self, Options};
use fountainai::music::leitmotif::{self, Leitmotif};
use fountainai::screenplay::{read_fdx, write_fdx, write_fountain};
use fountainai::Database;
use tokio::runtime::Runtime;

/// The Fountain parser, then what an import does with the result: the screenplay written back
/// as Fountain and FDX and read again.
pub fn fountain(data: &[u8]) {
    let Ok(screenplay) = fountain::parse_bytes(data) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = fountain::parse_with(text, Options { tags: true });
    }
    let _ = fountain::parse(&write_fountain(&screenplay));
    if let Ok(xml) = write_fdx(&screenplay) {
        let _ = read_fdx(&xml);
    }
}

/// The Final Draft (FDX) reader, and the writers on what it read.
pub fn fdx(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(screenplay) = read_fdx(text) {
        let _ = write_fdx(&screenplay);
        let _ = write_fountain(&screenplay);
    }
}

/// The leitmotif syntax (`DEGREE:LENGTH,...`) and its JSON form as stored on a character; a
/// motif that reads must also play (the audition score).
pub fn leitmotif(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Leitmotif::parse(text).ok();
    let stored = serde_json::from_str::<Leitmotif>(text)
        .ok()
        .filter(|m| m.validate().is_ok());
    for motif in parsed.iter().chain(stored.iter()) {
        let _ = motif.eighths();
        let _ = leitmotif::audition(motif, 0);
    }
    let _ = Leitmotif::derived(text);
}

/// A script document (JSON) parsed and, when it parses, loaded into a real (in-memory)
/// SQLite database: a refusal is an error, never a panic.
pub fn document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = ScriptDocument::from_json(text) else {
        return;
    };
    let (runtime, db) = database();
    runtime.block_on(async {
        if let Ok(loaded) = document::load_document(db, &doc).await {
            // Keeps the database small over a long run.
            let _ = fountainai::scripts::delete_script(db, loaded.script_id).await;
        }
    });
}

/// The story bundle reader (the hostile-zip checks, then the manifest's), and the document
/// inside one that verifies.
pub fn bundle(data: &[u8]) {
    let Ok((_, entries)) = bundle::verify(Cursor::new(data)) else {
        return;
    };
    if let Some(doc) = entries.iter().find(|e| e.name == DOCUMENT) {
        if let Ok(text) = std::str::from_utf8(&doc.bytes) {
            let _ = ScriptDocument::from_json(text);
        }
    }
}

/// One runtime and one in-memory database for the whole run.
fn database() -> &'static (Runtime, Database) {
    static SHARED: OnceLock<(Runtime, Database)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let db = runtime
            .block_on(Database::in_memory())
            .expect("an in-memory database");
        (runtime, db)
    })
}
