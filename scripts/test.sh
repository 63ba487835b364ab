#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test: formatting, lints, unit and
# integration tests, and each benchmark once (criterion's test mode).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
