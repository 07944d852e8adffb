#!/usr/bin/env bash
# WebSocket relay vs TCP relay of our hbbr, one pair, bulk one way (Benchmarks/relay-load).
# Builds release hbbr and relay-load, starts hbbr pinned to CPU 0 in a scratch directory on a free
# loopback port, runs relay-load pinned to CPU 1 for tcp and ws interleaved (the order alternates by
# round, so both see the same noise), prints medians and a final SUMMARY line. hbbr is always killed.
#
# usage: scripts/bench-ws-relay.sh [--rounds N] [--duration S] [--msg-bytes N] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
duration=5
msg_bytes=65536
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --msg-bytes) msg_bytes=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds must be a positive integer" >&2; exit 2; }
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "--duration must be whole seconds" >&2; exit 2; }

source scripts/setup.sh
source scripts/bench-lib.sh

bench_binaries hbbr relay-load "$build"
hbbr_bin=$server_bin
load_bin=$tool_bin

listening() { [ -n "$(ss -Htln "sport = :$1")" ]; }

# A port whose PORT+2 (the WebSocket relay) is free too.
port=$(free_port 0 2)

scratch=$(mktemp -d)
hbbr_pid=
cleanup() {
  stop_server "$hbbr_pid"
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# hbbr writes its key files to its working directory; the bandwidth caps are raised so they do
# not limit the measurement (hbbr.md §2: defaults 128 / 1024 Mbit/s).
(cd "$scratch" && TOTAL_BANDWIDTH=100000 SINGLE_BANDWIDTH=100000 exec taskset -c 0 "$hbbr_bin" \
  -p "$port" -b 127.0.0.1) >"$scratch/hbbr.log" 2>&1 &
hbbr_pid=$!
for _ in $(seq 1 100); do
  kill -0 "$hbbr_pid" 2>/dev/null || { cat "$scratch/hbbr.log" >&2; echo "hbbr exited" >&2; exit 1; }
  if listening "$port" && listening $((port + 2)); then break; fi
  sleep 0.1
done
listening "$port" && listening $((port + 2)) || { cat "$scratch/hbbr.log" >&2; echo "hbbr not listening" >&2; exit 1; }
# The CPU measured is that of the process owning the port (the same as $! unless the shell forked).
owner=$(ss -Htlnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
[ "$owner" = "$hbbr_pid" ] || { echo "port $port is owned by pid '$owner', not hbbr $hbbr_pid" >&2; exit 1; }
echo "hbbr pid $hbbr_pid on 127.0.0.1:$port (ws $((port + 2))), $rounds rounds of ${duration}s, msg_bytes=$msg_bytes" >&2

declare -A results
run_one() {
  local transport=$1 line
  line=$(timeout $((duration + 40)) taskset -c 1 "$load_bin" --port "$port" --transport "$transport" \
    --duration "$duration" --pid "$hbbr_pid" --msg-bytes "$msg_bytes" | grep '^RESULT') || {
    echo "relay-load $transport failed" >&2
    tail -n 20 "$scratch/hbbr.log" >&2
    exit 1
  }
  echo "$line"
  results[$transport]+="$line"$'\n'
  sleep 0.5  # let hbbr close the pair before the next one
}

for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="tcp ws"; else order="ws tcp"; fi
  for transport in $order; do run_one "$transport"; done
done

# median of key $2 over the RESULT lines of transport $1
median() {
  printf '%s' "${results[$1]}" | sed -n "s/.* $2=\([^ ]*\).*/\1/p" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '\n%-9s %10s %12s %24s\n' transport gbps server_cpu gbit_per_server_cpu_s
for transport in tcp ws; do
  printf '%-9s %10s %12s %24s\n' "$transport" "$(median "$transport" gbps)" \
    "$(median "$transport" server_cpu)" "$(median "$transport" gbit_per_server_cpu_s)"
done
ws_eff=$(median ws gbit_per_server_cpu_s)
tcp_eff=$(median tcp gbit_per_server_cpu_s)
ratio=$(awk -v w="$ws_eff" -v t="$tcp_eff" 'BEGIN { if (t + 0 > 0) printf "%.3f", w / t; else print "nan" }')
echo "SUMMARY ws_vs_tcp.gbit_per_server_cpu_s=$ratio ws.gbps=$(median ws gbps) tcp.gbps=$(median tcp gbps)" \
  "ws.gbit_per_server_cpu_s=$ws_eff tcp.gbit_per_server_cpu_s=$tcp_eff rounds=$rounds msg_bytes=$msg_bytes"
