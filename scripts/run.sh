#!/usr/bin/env bash
# Sets up what is missing, builds the UI and the desktop app (release), and starts FountainAI
# Studio. The database and log live in ~/.local/share/fountainai (or $FOUNTAINAI_DATA_DIR).
# The command-line tool is built alongside: target/release/fountainai --help.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

npm --prefix ui run build --silent
cargo build --locked --release -p fountainai -p fountainai-studio --quiet

app=target/release/fountainai-studio
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display here, so the window opens on a virtual one (xvfb-run); on a desktop it opens normally." >&2
  exec xvfb-run -a "$app" "$@"
fi
exec "$app" "$@"
