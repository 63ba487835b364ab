#!/usr/bin/env bash
# Sets up what is missing, builds, and runs FountainAI Studio. Until the desktop window lands,
# this is the `fountainai` command line: with no arguments it loads the Romeo and Juliet
# example into your database (once) and prints the assembled story; any arguments are passed
# to `fountainai` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --locked --release --quiet
app=target/release/fountainai

if [ $# -gt 0 ]; then
  exec "$app" "$@"
fi
script_id=$("$app" script list --title "Romeo and Juliet" --limit 1 | sed -n 's/.*"scriptId": \([0-9]*\).*/\1/p' | head -n 1)
if [ -z "$script_id" ]; then
  script_id=$("$app" example romeo-and-juliet | sed -n 's/.*"scriptId": \([0-9]*\).*/\1/p')
fi
session_id=$("$app" session list --script "$script_id" | grep -o '"sessionId": [0-9]*' | head -n 1 | grep -o '[0-9]*$' || true)
exec "$app" story full "$script_id" ${session_id:+--session "$session_id"}
