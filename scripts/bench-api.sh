#!/usr/bin/env bash
# The client API's heartbeat throughput against nginx, and what that HTTP load does to the UDP
# heartbeat path (issue 12: HTTP heartbeats per server CPU-second ≥ 0.3 × nginx's; UDP heartbeat
# p99 under HTTP load ≤ 2 × idle), plus login latency with the Argon2id parameters hbbs uses.
#
# hbbs (release build) runs pinned to CPU 0 in a scratch directory on free ports. rdload registers
# --devices devices over UDP (RegisterPk from 400 source addresses), prepare.py posts each one's
# sysinfo and writes a wrk script that cycles through their heartbeat bodies. Then:
#   1. wrk (CPU 1) drives POST /api/heartbeat for --duration seconds; hbbs's CPU time from /proc gives
#      heartbeats per server CPU-second (each device's first beat writes and answers after the commit;
#      later ones write again once the stored time is 60 s old, so the loop runs mostly from memory).
#   2. nginx (one worker, CPU 0) serves the same path with a static body of the same size under the
#      same wrk load; the ratio of the two per-CPU-second rates is the result.
#   3. Benchmarks/heartbeat-probe (CPU 1) offers UDP heartbeats at --rate in --rounds triples of
#      --window-second windows: one alone, one while wrk (CPU 1, idle priority, so the probe is not
#      starved by its own neighbour) loads the API, one while wrk loads nginx (CPU 0) at the rate hbbs
#      reached. The samples of each kind are pooled: alternating spreads the host's own latency
#      noise (this is a VM; idle p99 alone varies 2-4× run to run) over every kind instead of
#      letting it land on one.
#   4. N sequential logins.
#
# usage: scripts/bench-api.sh [--devices N] [--duration S] [--connections C] [--rate R] [--rounds N]
#                             [--window S] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

devices=10000
duration=10
connections=64
rate=2000
rounds=5
window=4
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for value in "$devices" "$duration" "$connections" "$rate" "$rounds" "$window"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "options must be positive integers" >&2; exit 2; }
done
SETUP_EXTRA_PACKAGES="wrk nginx" source scripts/setup.sh
source scripts/bench-lib.sh
bench_dir=$(cd ../shared/bench 2>/dev/null && pwd) || { echo "../shared/bench not found" >&2; exit 1; }
[ -x "$bench_dir/bin/rdload" ] || make -C "$bench_dir" >/dev/null
bench_binaries hbbs heartbeat-probe "$build"
hbbs_bin=$server_bin
probe_bin=$tool_bin

port=$(free_port -2 -1 0 2)
api_port=$((port - 2))
nginx_port=$(free_port 0)
scratch=$(mktemp -d)
hbbs_pid=
nginx_pid=
cleanup() {
  stop_server "$hbbs_pid"
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

password=bench-admin-password
(cd "$scratch" && ADMIN_PASSWORD=$password METRICS_ADDR=off exec taskset -c 0 "$hbbs_bin" -p "$port") \
  >"$scratch/hbbs.log" 2>&1 &
hbbs_pid=$!
for _ in $(seq 1 100); do
  kill -0 "$hbbs_pid" 2>/dev/null || { cat "$scratch/hbbs.log" >&2; echo "hbbs exited" >&2; exit 1; }
  [ -n "$(ss -Htln "sport = :$api_port")" ] && break
  sleep 0.1
done
[ -n "$(ss -Htln "sport = :$api_port")" ] || { cat "$scratch/hbbs.log" >&2; echo "API not listening" >&2; exit 1; }

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# cpu_ticks PID...: user + system clock ticks of the processes.
cpu_ticks() { local total=0; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
ticks_per_s=$(getconf CLK_TCK)

timeout 300 "$bench_dir/bin/rdload" udp-register --port "$port" --peers "$devices" --ips 400 --duration 1 \
  --label register >"$scratch/register.log" 2>&1 || { cat "$scratch/register.log" >&2; exit 1; }
answer=$(timeout 600 python3 scripts/bench-api/prepare.py "$api_port" "$devices" 1000000000 "$scratch/heartbeat.lua")
echo "devices=$devices registered and posted sysinfo; heartbeat answer: $answer" >&2

# run_wrk LABEL PORT PIDS...: wrk on CPU 1 for --duration; prints requests, requests/s and per CPU-second.
run_wrk() {
  local label=$1 target=$2; shift 2
  local before after output requests seconds
  before=$(cpu_ticks "$@")
  output=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" -s "$scratch/heartbeat.lua" "http://127.0.0.1:$target")
  after=$(cpu_ticks "$@")
  requests=$(awk '/requests in/ {print $1}' <<<"$output")
  grep -q "Non-2xx" <<<"$output" && { echo "$output" >&2; echo "$label: non-2xx answers" >&2; exit 1; }
  seconds=$(awk -v t=$((after - before)) -v hz="$ticks_per_s" 'BEGIN { printf "%.2f", t / hz }')
  echo "RESULT mode=http label=$label requests=$requests server_cpu_s=$seconds" \
    "req_per_s=$(awk '/Requests\/sec/ {print $2}' <<<"$output")" \
    "req_per_cpu_s=$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')" \
    "latency_p50=$(awk '/Latency/ {print $2}' <<<"$output")"
}

ours=$(run_wrk hbbs "$api_port" "$hbbs_pid")
echo "$ours"

mkdir -p "$scratch/nginx"
printf '%s' "$answer" >"$scratch/nginx/answer.json"
cat >"$scratch/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $scratch/nginx/nginx.pid;
error_log $scratch/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $scratch/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /api/heartbeat {
      default_type "application/json; charset=utf-8";
      return 200 '$answer';
    }
  }
}
CONF
taskset -c 0 nginx -c "$scratch/nginx.conf" -p "$scratch/nginx" 2>"$scratch/nginx/start.log" &
nginx_pid=$!
for _ in $(seq 1 50); do [ -n "$(ss -Htln "sport = :$nginx_port")" ] && break; sleep 0.1; done
# The master and its worker (the worker's command line does not name the configuration).
nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
reference=$(run_wrk nginx "$nginx_port" $nginx_pids)
echo "$reference"

# probe KIND: one window of UDP heartbeats, its latencies appended to $scratch/KIND.samples.
probe() {
  timeout $((window + 60)) taskset -c 1 "$probe_bin" --port "$port" --rate "$rate" --duration "$window" \
    --label "$1" --samples "$scratch/$1.samples" >/dev/null \
    || { echo "heartbeat-probe $1 failed" >&2; tail -n 20 "$scratch/hbbs.log" >&2; exit 1; }
}
# pooled KIND: percentiles of every window of that kind.
pooled() {
  sort -n "$scratch/$1.samples" | awk -v label="$1" -v rounds="$rounds" '{ v[NR] = $1 } END {
    printf "RESULT mode=heartbeat-probe label=%s rounds=%d replies=%d p50_us=%d p99_us=%d p999_us=%d\n",
      label, rounds, NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[int(NR * 0.999) + 1] }'
}
# The loopback network is shared: TCP load from any process delays UDP datagrams in the kernel's
# per-CPU packet backlog. The third kind puts nginx (CPU 0, beside hbbs) under wrk paced to hbbs's
# measured rate (each connection waits between requests), so it shows what an HTTP load of the
# same rate costs the UDP path when hbbs does none of the work.
paced_delay_ms=$(awk -v c="$connections" -v r="$(field "$ours" req_per_s)" \
  'BEGIN { d = (r > 0 ? int(c * 1000 / r) : 1); print (d < 1 ? 1 : d) }')
cat >"$scratch/paced.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"1","uuid":"","ver":1004090,"conns":[],"modified_at":0}'
function delay() return $paced_delay_ms end
LUA
# background_wrk KIND PORT SCRIPT: a window-long wrk load (CPU 1, idle priority) while the probe runs.
background_wrk() {
  chrt --idle 0 taskset -c 1 wrk -t1 -c"$connections" -d"$((window + 3))s" -s "$3" "http://127.0.0.1:$2" \
    >"$scratch/wrk-$1.log" 2>&1 &
  wrk_pid=$!
  sleep 1.5
  probe "$1"
  wait "$wrk_pid" || true
  awk '/Requests\/sec/ {print int($2)}' "$scratch/wrk-$1.log" >>"$scratch/$1.rates"
}
for _ in $(seq 1 "$rounds"); do
  probe udp-idle
  background_wrk udp-under-http "$api_port" "$scratch/heartbeat.lua"
  background_wrk udp-under-paced-nginx "$nginx_port" "$scratch/paced.lua"
done
kill "$nginx_pid" 2>/dev/null || true
nginx_pid=
idle=$(pooled udp-idle)
echo "$idle"
loaded=$(pooled udp-under-http)
echo "$loaded http_req_per_s=$(paste -sd, "$scratch/udp-under-http.rates")"
nginx_loaded=$(pooled udp-under-paced-nginx)
echo "$nginx_loaded http_req_per_s=$(paste -sd, "$scratch/udp-under-paced-nginx.rates")"

login=$(python3 scripts/bench-api/login.py "$api_port" "$password" 20)
echo "$login"

http_ratio=$(awk -v a="$(field "$ours" req_per_cpu_s)" -v b="$(field "$reference" req_per_cpu_s)" \
  'BEGIN { if (b + 0 > 0) printf "%.3f", a / b; else print "nan" }')
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "nan" }'; }
p99_ratio=$(ratio_of "$(field "$loaded" p99_us)" "$(field "$idle" p99_us)")
nginx_p99_ratio=$(ratio_of "$(field "$nginx_loaded" p99_us)" "$(field "$idle" p99_us)")
echo "SUMMARY http_heartbeats_per_cpu_s=$(field "$ours" req_per_cpu_s) nginx_per_cpu_s=$(field "$reference" req_per_cpu_s)" \
  "ratio=$http_ratio udp_p99_idle_us=$(field "$idle" p99_us) udp_p99_under_http_us=$(field "$loaded" p99_us)" \
  "p99_ratio=$p99_ratio udp_p99_under_paced_nginx_us=$(field "$nginx_loaded" p99_us) nginx_p99_ratio=$nginx_p99_ratio" \
  "login_p50_ms=$(field "$login" p50_ms) devices=$devices connections=$connections"
