#!/usr/bin/env bash
# Start-up benchmark of the real app under Xvfb: time from exec to the first painted screen
# (the UI calls mark_first_paint after its first frame), and idle memory of all the app's
# processes (the Rust process and its WebKit children), as PSS and RSS, 5 s after first paint.
# Usage: tests/bench/startup.sh [RUNS]   (builds nothing: run .ci/test-all or .ci/launch first)
set -euo pipefail
RUNS="${1:-5}"
APP="${LANYARD_APP_BINARY:-${CARGO_TARGET_DIR:-$HOME/.cache/lanyard/target}/debug/lanyard-app}"
[ -x "$APP" ] || { echo "build the app first ($APP missing)" >&2; exit 1; }

tree_pids() { # a pid and all its descendants
  local p=$1; echo "$p"
  for c in $(pgrep -P "$p" || true); do tree_pids "$c"; done
}
kib() { awk -v k="$1" '$1==k":" {s+=$2} END {print s+0}' "${@:2}" 2>/dev/null; }

run_once() {
  local data log start ms_ext ms_int pss=0 rss=0 pid
  data="$(mktemp -d)"; log="$(mktemp)"
  start=$(date +%s%N)
  LANYARD_DATA_DIR="$data" LANYARD_TRACE_STARTUP=1 "$APP" >"$log" 2>/dev/null &
  pid=$!
  for _ in $(seq 300); do grep -q "first paint" "$log" && break; sleep 0.02; done
  ms_ext=$(( ($(date +%s%N) - start) / 1000000 ))
  ms_int=$(sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' "$log")
  sleep 5
  for p in $(tree_pids "$pid"); do
    pss=$(( pss + $(kib Pss "/proc/$p/smaps_rollup") ))
    rss=$(( rss + $(kib Rss "/proc/$p/smaps_rollup") ))
  done
  local nprocs; nprocs=$(tree_pids "$pid" | wc -l)
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
  echo "$ms_ext $ms_int $((pss / 1024)) $((rss / 1024)) $nprocs"
}

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
echo "run  first-paint(wall ms)  first-paint(in-app ms)  idle PSS MiB  idle RSS MiB  processes"
results=()
for i in $(seq "$RUNS"); do
  r=$(run_once); results+=("$r")
  read -r a b c d e <<<"$r"; printf '%3d  %21s  %22s  %12s  %12s  %9s\n' "$i" "$a" "$b" "$c" "$d" "$e"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median: first paint %s ms (wall), %s ms (in-app); idle memory %s MiB PSS, %s MiB RSS (all processes)\n' \
  "$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)" \
  "$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)" \
  "$(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | median)" \
  "$(printf '%s\n' "${results[@]}" | cut -d' ' -f4 | median)"
