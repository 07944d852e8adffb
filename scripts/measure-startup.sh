#!/usr/bin/env bash
# Start-up time and resident memory of the release binaries (docs/operations.md "Packages"): each server is
# started RUNS times in a fresh directory (so hbbs also makes its keys and db_v2.sqlite3) and again in a
# directory it has used before, and timed from the exec to its first 200 from /readyz.
#   bash scripts/measure-startup.sh [BIN_DIR=dist/bin] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=${1:-dist/bin}
runs=${2:-5}
python3 - "$bin_dir" "$runs" <<'PY'
import os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.request

bin_dir, runs = sys.argv[1], int(sys.argv[2])

def free_base(span):
    import random
    while True:
        # Below the ephemeral range, so no outgoing connection takes one before the server binds it.
        base = random.randint(10000, 32000)
        try:
            held = []
            for port in range(base, base + span):
                for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", port)); held.append(s)
            return base
        except OSError:
            pass
        finally:
            for s in held: s.close()

def start_once(server, directory):
    base = free_base(6)
    port, metrics = base + 2, base + 5
    environment = dict(os.environ, METRICS_ADDR=f"127.0.0.1:{metrics}", RUST_LOG="warn")
    started = time.monotonic()
    process = subprocess.Popen([os.path.abspath(f"{bin_dir}/{server}"), "-p", str(port)], cwd=directory,
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        elapsed = time.monotonic() - started
                        rss = next(int(line.split()[1]) for line in open(f"/proc/{process.pid}/status")
                                   if line.startswith("VmRSS:"))
                        return elapsed * 1000, rss / 1024
            except Exception:
                time.sleep(0.005)
        raise SystemExit(f"{server} not ready within 30 s")
    finally:
        process.terminate()
        process.wait(timeout=30)

for server in ("hbbs", "hbbr"):
    for label, reuse in (("first start", False), ("later start", True)):
        times, memory = [], []
        directory = tempfile.mkdtemp()
        if reuse:
            start_once(server, directory)  # makes the keys and database the timed starts find
        for _ in range(runs):
            if not reuse:
                shutil.rmtree(directory); os.mkdir(directory)
            elapsed, rss = start_once(server, directory)
            times.append(elapsed); memory.append(rss)
        shutil.rmtree(directory)
        print(f"{server:5} {label:12} ready after {statistics.median(times):6.0f} ms (median of {runs}, "
              f"min {min(times):.0f}, max {max(times):.0f}); RSS when ready {statistics.median(memory):.1f} MiB")
PY
