#!/usr/bin/env bash
# Sets up what is missing, then builds and runs every test (the README's test command; CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== swift format lint" >&2
swift format lint --strict --recursive --parallel Sources Tests

echo "== swift build --build-tests" >&2
log=$(mktemp)
status=0
swift build --build-tests >"$log" 2>&1 || status=$?
# Our targets must build without warnings; dependencies' warnings are not ours to fix.
# SwiftPM's package warnings name the package ("warning: 'swift-distributed-tracing': ..."); the root
# package is named after its folder, and only its warnings count.
ours=$(grep -E "(warning|error):" "$log" | grep -vE "/\.build[^/]*/" | grep -vE "^warning: '[^']+': " || true)
ours+=$(grep -F "warning: '$(basename "$PWD")': " "$log" || true)
if [ "$status" != 0 ] || [ -n "$ours" ]; then
  tail -n 60 "$log" >&2
  echo "build failed or our code has warnings:" >&2
  printf '%s\n' "$ours" >&2
  exit 1
fi
grep "Build complete" "$log" >&2 || true
rm -f "$log"

echo "== swift test" >&2
log=$(mktemp)
status=0
swift test --skip-build 2>&1 | tee "$log" || status=$?
if [ "$status" != 0 ]; then
  # The log is long and parallel: end with what failed, one line per test with its first issue.
  echo "== swift test failed (exit $status):" >&2
  failures=$(bash scripts/test-failures.sh "$log")
  printf '%s\n' "${failures:-(no failed test named in the log; see above)}" >&2
  rm -f "$log"
  exit "$status"
fi
rm -f "$log"
