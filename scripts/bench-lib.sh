# Shared by the benchmark scripts (sourced, not run): building and locating the release binaries,
# finding free ports, and stopping the server under test.

# bench_binaries SERVER TOOL BUILD: builds (when BUILD is 1) the release SERVER of this package and
# TOOL of Benchmarks/, one at a time (the machine is shared), and sets server_bin and tool_bin.
bench_binaries() {
  local server=$1 tool=$2 build=$3
  if [ "$build" = 1 ]; then
    timeout 3600 swift build -c release --product "$server"
    timeout 3600 swift build -c release --package-path Benchmarks --product "$tool"
  fi
  server_bin="$(swift build -c release --show-bin-path)/$server"
  tool_bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/$tool"
  [ -x "$server_bin" ] && [ -x "$tool_bin" ] || { echo "missing $server_bin or $tool_bin (build first)" >&2; exit 1; }
}

# port_in_use PORT: something listens on PORT over TCP or UDP.
port_in_use() { [ -n "$(ss -Htuln "sport = :$1")" ]; }

# free_port OFFSET...: prints a random port P such that P+OFFSET is free for every OFFSET given.
free_port() {
  local candidate offset taken
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    taken=0
    for offset in "$@"; do port_in_use $((candidate + offset)) && { taken=1; break; }; done
    [ "$taken" = 0 ] && { echo "$candidate"; return 0; }
  done
  echo "no free port found" >&2
  return 1
}

# stop_server PID: SIGTERM, up to 5 s for a graceful exit, then SIGKILL.
stop_server() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
