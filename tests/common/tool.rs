//! Running the real tools the tests and benches check our files with.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `command`, which must succeed; `what` names it (and how to install it) in a failure.
pub fn run_ok(command: &mut Command, what: &str) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
