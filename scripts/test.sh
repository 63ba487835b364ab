#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test: formatting and lints, the UI's type
# check and unit tests, the core's unit and integration tests, each benchmark once (criterion's
# test mode), the desktop app's end-to-end tests in real WebKit under Xvfb, and the live MIDI
# and preview tests against a JACK server of our own.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# A clean clone gains nothing from incremental caches, and they would add gigabytes to what the
# build writes to disk.
export CARGO_INCREMENTAL=0
# What the run starts (a PostgreSQL cluster, a JACK server) is stopped however it ends.
source scripts/postgres.sh
jackd_pid=""
stop_jackd() {
  if [ -n "$jackd_pid" ]; then kill "$jackd_pid" 2>/dev/null || true; wait "$jackd_pid" 2>/dev/null || true; fi
}
cleanup() {
  stop_jackd
  stop_postgres_tls target/postgres-tls.log
  stop_postgres target/postgres.log
}
trap cleanup EXIT
# What the disk holds before each stage, so a run that fills it says where.
disk() { df -h --output=avail . | tail -1 | sed "s/^ */== disk: /;s/\$/ free/"; }
# Each stage says when it starts (seconds since the run began, set-up included), so a run that
# grows slow says where.
stage() { disk; echo "== [$SECONDS s] $1"; }

stage "UI: types, unit tests, build"
npm --prefix ui run typecheck
npm --prefix ui test
npm --prefix ui run build

stage "Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings

stage "Rust: tests (end-to-end ones drive the app under Xvfb)"
# The core's tests on PostgreSQL read FOUNTAINAI_TEST_PG, the TLS ones FOUNTAINAI_TEST_PG_TLS
# (a second cluster, TLS only); both stay up to the end.
mkdir -p target
start_postgres
start_postgres_tls
# A hung window must fail the run, not stall CI.
timeout 2400 xvfb-run -a --server-args="-screen 0 1600x1000x24" cargo test --locked --workspace --all-targets

stage "Keyring: a room's password in a real secret service (gnome-keyring, a D-Bus session of its own)"
dbus-run-session -- scripts/with-keyring.sh \
  cargo test --locked --workspace --all-targets room::tests::a_rooms_password -- --ignored

stage "Fuzz: every reader of outside data, 30 s per target (scripts/fuzz.sh 600 for the long run)"
# A crate of its own (fuzz/), built once into fuzz/target; cargo-fuzz is installed when missing.
# Unoptimised (compiles in a fraction of the release build's time), two targets at a time.
# Its own workspace, so the lints above do not reach it: linted here, as strictly.
(cd fuzz && cargo fmt -- --check && cargo clippy --locked --all-targets -- -D warnings)
./scripts/fuzz.sh --dev 30

stage "Live: MIDI over JACK and the preview on a real-time device (jackd, dummy driver)"
# Built before the server starts, so it does not sit idle through the compile.
# The whole workspace with the jack features, so the dependencies resolve as in the stage above
# and only our own crates are built again (`-p` alone would rebuild the Tauri stack).
jack=(--locked --workspace --features fountainai/jack,fountainai-studio/jack)
cargo test "${jack[@]}" --test live_midi --test live_preview --test desktop_app --no-run
# A server of our own under a private name: a JACK server someone else runs (or stops) on this
# machine cannot change what the tests see, and only ours is stopped at the end.
export JACK_DEFAULT_SERVER="fountainai-test-$$"
mkdir -p target
jackd -n "$JACK_DEFAULT_SERVER" --no-realtime -d dummy -r 48000 -p 1024 >target/jackd.log 2>&1 &
jackd_pid=$!
jack_wait -w -t 15 >/dev/null || { cat target/jackd.log; exit 1; }
# One test at a time: they check timing against the server's clock.
cargo test "${jack[@]}" --test live_midi --test live_preview -- --test-threads=1
# The app's transport end to end: the JACK build of the app plays through ALSA's default device
# (the `file` plugin in front of the `jack` plugin), the other desktop tests ran above.
timeout 600 xvfb-run -a --server-args="-screen 0 1600x1000x24" \
  cargo test "${jack[@]}" --test desktop_app the_transport_plays
stage "done"
