//! The `fountainai` binary run on a database file of its own in a test's folder.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fountainai"))
        .arg("--db")
        .arg(dir.join("studio.sqlite3"))
        .args(args)
        .env("FOUNTAINAI_DATA_DIR", dir)
        .env_remove("FOUNTAINAI_DB")
        .output()
        .expect("run fountainai")
}

/// Runs a command that must succeed and returns its JSON.
pub fn ok(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Runs a command that must fail and prints nothing on stdout; returns its exit status and its
/// error JSON (stderr's last line: libasound writes its own complaint before it).
pub fn err(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = run(dir, args);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    let error = serde_json::from_str(last).unwrap_or_else(|_| panic!("{args:?}: {stderr}"));
    (out.status.code(), error)
}

/// Loads Romeo and Juliet through the binary; its reply and its script id as an argument.
pub fn example(dir: &Path) -> (Value, String) {
    let loaded = ok(dir, &["example", "romeo-and-juliet"]);
    let id = loaded["scriptId"].to_string();
    (loaded, id)
}
