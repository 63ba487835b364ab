#!/usr/bin/env bash
# Measures the desktop app under Xvfb: cold start to the first painted library screen (wall
# clock from launch until the UI reports its first paint), and the idle memory of the whole
# process tree (the app plus WebKit's web and network processes), as PSS so shared pages are
# not counted twice. Targets: start < 1.5 s, idle memory < 200 MB.
#
#   scripts/measure-app.sh [RUNS]        (builds the release app first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
app=target/release/fountainai-studio
if [ ! -x "$app" ] || [ -n "$(find src src-tauri/src ui/src -newer "$app" -print -quit 2>/dev/null)" ]; then
  npm --prefix ui run build >/dev/null
  cargo build --locked --release -p fountainai-studio --quiet
fi

tmp=$(mktemp -d)
trap 'kill "${xvfb:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 0.5
export DISPLAY=$display

descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
pss_kb() { awk '/^Pss:/ { s += $2 } END { print s + 0 }' "$@" 2>/dev/null || echo 0; }

times=()
for run in $(seq "$runs"); do
  data=$tmp/run$run
  mkdir -p "$data"
  out=$data/stdout
  start=$(date +%s%N)
  FOUNTAINAI_DATA_DIR=$data XDG_CONFIG_HOME=$data/config XDG_CACHE_HOME=$data/cache "$app" >"$out" 2>"$data/stderr" &
  pid=$!
  ready=""
  for _ in $(seq 2000); do
    if grep -q FOUNTAINAI_READY_MS "$out" 2>/dev/null; then ready=$(( ($(date +%s%N) - start) / 1000000 )); break; fi
    sleep 0.01
  done
  if [ -z "$ready" ]; then echo "run $run: no first paint within 20 s" >&2; cat "$data/stderr" >&2; kill "$pid"; exit 1; fi
  echo "run $run: first paint after ${ready} ms"
  if [ "$run" -eq "$runs" ]; then
    sleep 5
    pids="$pid $(descendants "$pid")"
    files=$(for p in $pids; do echo "/proc/$p/smaps_rollup"; done)
    # shellcheck disable=SC2086
    total=$(pss_kb $files)
    for p in $pids; do echo "  $(cat "/proc/$p/comm"): $(( $(pss_kb "/proc/$p/smaps_rollup") / 1024 )) MB"; done
    echo "idle memory of the process tree ($(echo $pids | wc -w) processes): $((total / 1024)) MB PSS"
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  times+=("$ready")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "first paint over $runs starts: median ${median} ms (runs: ${times[*]} ms)"
