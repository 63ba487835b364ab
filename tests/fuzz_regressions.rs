//! Every input a fuzz target ever crashed on (`fuzz/regressions/TARGET/`), replayed through the
//! same code the target runs (`fuzz/src/lib.rs`), plus the seed corpus: none may panic.

#[path = "../fuzz/src/lib.rs"]
mod readers;

use std::path::Path;

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn replay(target: &str, read: fn(&[u8]), extra: &[&str]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![
        root.join("fuzz/regressions").join(target),
        root.join("fuzz/seeds").join(target),
    ];
    dirs.extend(extra.iter().map(|d| root.join(d)));
    for path in dirs.iter().flat_map(|d| files(d)) {
        let bytes = std::fs::read(&path).expect("read an input");
        let outcome = std::panic::catch_unwind(|| read(&bytes));
        assert!(outcome.is_ok(), "{target} panics on {}", path.display());
    }
}

#[test]
fn the_fountain_parser_survives_every_input_the_fuzzer_found() {
    replay(
        "fountain",
        readers::fountain,
        &["tests/conformance/fountain"],
    );
}

#[test]
fn the_fdx_reader_survives_every_input_the_fuzzer_found() {
    replay("fdx", readers::fdx, &["tests/conformance/fdx"]);
}

#[test]
fn the_leitmotif_parser_survives_every_input_the_fuzzer_found() {
    replay("leitmotif", readers::leitmotif, &[]);
}

#[test]
fn the_document_loader_survives_every_input_the_fuzzer_found() {
    replay("document", readers::document, &["assets/examples"]);
}

#[test]
fn the_bundle_reader_survives_every_input_the_fuzzer_found() {
    replay("bundle", readers::bundle, &[]);
}
