#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo-fuzz) of every reader of outside data, on the
# stable toolchain: cargo-fuzz wants nightly only for its sanitizer flags, so the targets build
# with `--sanitizer none` and RUSTC_BOOTSTRAP=1, with debug assertions on (an overflow is a
# crash). The seed corpus is the conformance suites and fuzz/seeds/; what the fuzzer learns
# goes to fuzz/corpus/ (not committed), crashes to fuzz/artifacts/TARGET/.
#
#   scripts/fuzz.sh [--dev] [SECONDS] [TARGET...]  each target for SECONDS (default 30)
#   scripts/fuzz.sh 600                            the 10-minute run of every target
#   scripts/fuzz.sh --dev 30                       CI's smoke: an unoptimised build (much quicker
#                                                  to compile from nothing), the targets side by side
#
# Targets: fountain fdx leitmotif document bundle. Prints executions and crashes per target and
# fails if any target crashed. A crash found becomes a file in fuzz/regressions/TARGET/, which
# `cargo test --test fuzz_regressions` replays.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
profile=--release
if [ "${1:-}" = "--dev" ]; then profile=--dev; shift; fi
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fountain fdx leitmotif document bundle)

# A debug build of the driver: it only runs cargo, and installs in 30 s instead of 50.
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2 --debug
export RUSTC_BOOTSTRAP=1
fuzz=(cargo fuzz run "$profile" --fuzz-dir fuzz --sanitizer none --debug-assertions)

seeds() {
  case "$1" in
    fountain) echo tests/conformance/fountain fuzz/seeds/fountain ;;
    fdx) echo tests/conformance/fdx fuzz/seeds/fdx ;;
    leitmotif) echo fuzz/seeds/leitmotif ;;
    document) echo assets/examples fuzz/seeds/document ;;
    bundle) echo fuzz/seeds/bundle ;;
  esac
}

# Every target in one build (the instrumented core is shared); `run` then only links.
cargo fuzz build "$profile" --fuzz-dir fuzz --sanitizer none --debug-assertions

run() {
  local target="$1" log="fuzz/artifacts/$1/run.log"
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  # shellcheck disable=SC2046
  if "${fuzz[@]}" "$target" "fuzz/corpus/$target" $(seeds "$target") -- \
      -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 >"$log" 2>&1; then
    echo ok >"fuzz/artifacts/$target/status"
  else
    echo CRASHED >"fuzz/artifacts/$target/status"
  fi
}

# As many targets at once as there are cores.
jobs=$(nproc)
running=0
for target in "${targets[@]}"; do
  run "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
for target in "${targets[@]}"; do
  log="fuzz/artifacts/$target/run.log"
  status=$(cat "fuzz/artifacts/$target/status")
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  crashes=$(find "fuzz/artifacts/$target" -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
  echo "fuzz $target: ${seconds}s, $runs executions, $crashes crash files, $status"
  if [ "$status" != ok ]; then failed=1; tail -n 40 "$log"; fi
done
exit "$failed"
