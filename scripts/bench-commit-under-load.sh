#!/usr/bin/env bash
# New peers durably committed per second while heartbeats continue, and what the commits do to
# heartbeat latency (issue 6: ≥ 20,000 commits/s, heartbeat p99 not above 2× its idle value).
#
# hbbs runs pinned to CPU 0 in a scratch directory (fresh db_v2.sqlite3) on a free port. On CPU 1,
# Benchmarks/heartbeat-probe offers heartbeats at a fixed rate, first alone (idle p99), then while
# `rdload peers-memory` registers new peers (RegisterPeer + RegisterPk from many source addresses;
# hbbs answers a RegisterPk only after its row is committed, so rdload's reg_per_s is the durable
# commit rate). The registration load runs at nice 19 so the probe, which sleeps between sends,
# is not starved by the generator that shares its core. hbbs is always killed.
#
# --inflight bounds the registrations rdload keeps outstanding, i.e. how many datagrams can queue in
# front of a heartbeat in hbbs's socket; the commit rate needs enough of them to cover a commit's fsync.
#
# usage: scripts/bench-commit-under-load.sh [--peers N] [--inflight W] [--rate R] [--duration S] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

peers=300000
inflight=64
rate=20000
duration=5
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers=$2; shift 2 ;;
    --inflight) inflight=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$peers" =~ ^[1-9][0-9]*$ && "$inflight" =~ ^[1-9][0-9]*$ && "$rate" =~ ^[1-9][0-9]*$ && "$duration" =~ ^[1-9][0-9]*$ ]] ||
  { echo "--peers, --inflight, --rate and --duration must be positive integers" >&2; exit 2; }

source scripts/setup.sh
source scripts/bench-lib.sh
bench_dir=$(cd ../shared/bench 2>/dev/null && pwd) || { echo "../shared/bench not found" >&2; exit 1; }
[ -x "$bench_dir/bin/rdload" ] || make -C "$bench_dir" >/dev/null

bench_binaries hbbs heartbeat-probe "$build"
hbbs_bin=$server_bin
probe_bin=$tool_bin

# hbbs listens on PORT-1 (NAT test), PORT (TCP and UDP) and PORT+2 (WebSocket).
port=$(free_port -1 0 2)

scratch=$(mktemp -d)
hbbs_pid=
load_pid=
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  stop_server "$hbbs_pid"
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$scratch" && exec taskset -c 0 "$hbbs_bin" -p "$port") >"$scratch/hbbs.log" 2>&1 &
hbbs_pid=$!
for _ in $(seq 1 100); do
  kill -0 "$hbbs_pid" 2>/dev/null || { cat "$scratch/hbbs.log" >&2; echo "hbbs exited" >&2; exit 1; }
  [ -n "$(ss -Huln "sport = :$port")" ] && break
  sleep 0.1
done
[ -n "$(ss -Huln "sport = :$port")" ] || { cat "$scratch/hbbs.log" >&2; echo "hbbs not listening" >&2; exit 1; }
echo "hbbs pid $hbbs_pid on port $port; $peers new peers, heartbeats at $rate/s for ${duration}s" >&2

probe() {
  timeout $((duration + 60)) taskset -c 1 "$probe_bin" --port "$port" --rate "$rate" --duration "$duration" \
    --label "$1" | grep '^RESULT' || { echo "heartbeat-probe $1 failed" >&2; tail -n 20 "$scratch/hbbs.log" >&2; exit 1; }
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

idle=$(probe idle)
echo "$idle"

# The registration load takes longer than the probe window; the probe starts once it is running.
timeout 600 chrt --idle 0 taskset -c 1 "$bench_dir/bin/rdload" peers-memory --port "$port" --pid "$hbbs_pid" \
  --peers "$peers" --per-ip 25 --sockets 4096 --inflight "$inflight" --label commits >"$scratch/rdload.log" 2>&1 &
load_pid=$!
sleep 1.5
kill -0 "$load_pid" 2>/dev/null || { cat "$scratch/rdload.log" >&2; echo "rdload exited early" >&2; exit 1; }
loaded=$(probe loaded)
echo "$loaded"
wait "$load_pid" || { cat "$scratch/rdload.log" >&2; echo "rdload failed" >&2; exit 1; }
load_pid=
registration=$(grep '^RESULT' "$scratch/rdload.log")
echo "$registration"

idle_p99=$(field "$idle" p99_us)
loaded_p99=$(field "$loaded" p99_us)
ratio=$(awk -v l="$loaded_p99" -v i="$idle_p99" 'BEGIN { if (i + 0 > 0) printf "%.2f", l / i; else print "nan" }')
echo "SUMMARY commits_per_s=$(field "$registration" reg_per_s) not_held=$(field "$registration" not_held)" \
  "heartbeat_p99_idle_us=$idle_p99 heartbeat_p99_loaded_us=$loaded_p99 p99_ratio=$ratio" \
  "loaded_lost=$(field "$loaded" lost) peers=$peers inflight=$inflight rate=$rate"
