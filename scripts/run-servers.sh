#!/usr/bin/env bash
# Sets up what is missing, builds in release mode and runs hbbs and hbbr with their defaults in
# ./run (or $RUN_DIR): keys (id_ed25519, id_ed25519.pub) and db_v2.sqlite3 are created there on
# first start. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build -c release --product hbbs
swift build -c release --product hbbr
bin=$(swift build -c release --show-bin-path)
run_dir=${RUN_DIR:-run}
mkdir -p "$run_dir"
cd "$run_dir"

"$bin/hbbr" &
hbbr_pid=$!
"$bin/hbbs" &
hbbs_pid=$!
trap 'kill -TERM $hbbs_pid $hbbr_pid 2>/dev/null; wait' INT TERM
wait -n "$hbbs_pid" "$hbbr_pid" || true
kill -TERM "$hbbs_pid" "$hbbr_pid" 2>/dev/null || true
wait
