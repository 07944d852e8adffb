#!/usr/bin/env bash
# Runs the built test suite N times in a row, optionally beside K busy-loop CPU hogs, and prints each
# run's result with the names of the tests that failed, then one summary line. Exits 0 only when
# every run passed. Swift Testing runs in parallel, as in CI. Build first (`bash scripts/test.sh`
# or `swift build --build-tests`).
# Usage: scripts/test-repeat.sh N [--hogs K] [--keep-logs DIR] [-- EXTRA SWIFT TEST ARGS]
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 N [--hogs K] [--keep-logs DIR] [-- swift test args]" >&2; exit 2; }
[ $# -ge 1 ] || usage
runs=$1; shift
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage
hogs=0
logs=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --hogs) hogs=${2:?}; shift 2 ;;
    --keep-logs) logs=${2:?}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) usage ;;
  esac
done
[[ "$hogs" =~ ^[0-9]+$ ]] || usage

if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then export PATH=/opt/swift/usr/bin:$PATH; fi
cleanup_logs=""
if [ -z "$logs" ]; then logs=$(mktemp -d); cleanup_logs=$logs; else mkdir -p "$logs"; fi

hog_pids=()
stop_hogs() {
  [ ${#hog_pids[@]} -eq 0 ] || kill "${hog_pids[@]}" 2>/dev/null || true
  hog_pids=()
}
trap 'stop_hogs; [ -z "$cleanup_logs" ] || rm -rf "$cleanup_logs"' EXIT
for _ in $(seq 1 "$hogs"); do
  bash -c 'while :; do :; done' &
  hog_pids+=($!)
done

passed=0
failed=0
total_seconds=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  start=$(date +%s)
  status=0
  # A run that hangs is a failure too: no suite takes anywhere near 20 minutes.
  timeout 1200 swift test --skip-build "${extra[@]}" >"$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  total_seconds=$((total_seconds + seconds))
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
    echo "run $run/$runs: passed in ${seconds} s"
  else
    failed=$((failed + 1))
    [ "$status" = 124 ] && reason="timed out" || reason="exit $status"
    echo "run $run/$runs: FAILED ($reason) in ${seconds} s"
    failures=$(bash scripts/test-failures.sh "$log")
    if [ -n "$failures" ]; then
      printf '%s\n' "$failures" | sed 's/^/    /'
    else
      tail -n 5 "$log" | sed 's/^/    | /'
    fi
  fi
done
stop_hogs
echo "test-repeat: $passed of $runs runs passed, $failed failed (hogs: $hogs, mean $((total_seconds / runs)) s per run)"
[ "$failed" = 0 ]
