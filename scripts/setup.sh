#!/usr/bin/env bash
# Installs what building and testing FountainAI Studio needs on Debian 12, only what is missing.
# Safe to run again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# A C compiler builds the bundled SQLite; WebKitGTK and friends build and run the Tauri app;
# Xvfb and WebKitWebDriver run its end-to-end tests; LilyPond and Csound come with the music,
# FluidSynth is the yardstick of the audio bench; poppler-utils (pdftotext, pdfinfo) reads
# exported PDFs back in tests/pdf_export.rs.
need_apt build-essential pkg-config file ca-certificates curl \
  libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev \
  libgl1-mesa-dri xvfb xauth webkit2gtk-driver procps poppler-utils \
  lilypond csound fluidsynth
# Python's mido reads the MIDI files independently in tests/orchestration.rs.
need_apt python3-mido
# Live MIDI and the preview: ALSA headers build midir and rodio; the live tests play into a
# JACK server (dummy driver) through an independent client (python3-jack-client), and route
# ALSA's default device through its file and JACK plugins (libasound2-plugins) to hear it.
need_apt libasound2-dev jackd2 libjack-jackd2-dev python3-jack-client libasound2-plugins
# PostgreSQL 15: the tests also run the core on a throwaway cluster of their own
# (scripts/postgres.sh); the system cluster Debian's package creates is never used.
need_apt postgresql
# The TLS test cluster's certificates (openssl); the keyring's secret-service client (D-Bus).
need_apt openssl libdbus-1-dev
# The room's password in a real secret service: gnome-keyring on a private D-Bus session
# (scripts/with-keyring.sh), gdbus to see it is up.
need_apt gnome-keyring dbus-daemon libglib2.0-bin

# Node.js 20 or newer for the UI build (Debian 12's own is 18, too old for Vite).
node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true)
if [ "${node_major:-0}" -lt 20 ]; then
  echo "setup: installing Node.js 20 from NodeSource"
  curl -fsSL https://deb.nodesource.com/setup_20.x | as_root bash -
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
fi

# Rust: the toolchain from rustup (Debian 12's rustc is too old for sqlx and Tauri 2).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy
  export PATH="$HOME/.cargo/bin:$PATH"
fi
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "${rust_minor:-0}" -lt 85 ]; then
  echo "setup: Rust 1.85 or newer is needed (found $(rustc --version)); run 'rustup update stable'" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done

# WebDriver front for Tauri apps (end-to-end tests).
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# The UI's packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
