#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test: formatting and lints, the UI's type
# check and unit tests, the core's unit and integration tests, each benchmark once (criterion's
# test mode), and the desktop app's end-to-end tests in real WebKit under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "== UI: types, unit tests, build"
npm --prefix ui run typecheck
npm --prefix ui test
npm --prefix ui run build

echo "== Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings

echo "== Rust: tests (end-to-end ones drive the app under Xvfb)"
# A hung window must fail the run, not stall CI.
timeout 2400 xvfb-run -a --server-args="-screen 0 1600x1000x24" cargo test --locked --workspace --all-targets
