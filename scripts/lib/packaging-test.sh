# Helpers shared by the install-and-run tests of the packages (scripts/test-image.sh, scripts/test-deb.sh).
# Sourced, not run.

interop_dir=${INTEROP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/../shared/interop}

# The first of `span` consecutive ports free for TCP and UDP on 127.0.0.1 (hbbs uses port-2 … port+2).
# Chosen below the kernel's ephemeral range, so no outgoing connection can take one between this check
# and the server's bind.
free_port_base() {
  python3 - "$1" <<'PY'
import random, socket, sys
span = int(sys.argv[1])
with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
    ephemeral_low = int(ports.read().split()[0])
for _ in range(200):
    base = random.randint(10000, max(10001, ephemeral_low - span - 1))
    sockets = []
    try:
        for port in range(base, base + span):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                s = socket.socket(socket.AF_INET, kind)
                s.bind(("127.0.0.1", port))
                sockets.append(s)
        print(base)
        break
    except OSError:
        pass
    finally:
        for s in sockets:
            s.close()
else:
    sys.exit("no free port range")
PY
}

# Waits up to $2 seconds for http://127.0.0.1:$1/readyz to answer 200.
wait_ready() {
  local port=$1 seconds=$2 deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    python3 - "$port" <<'PY' && return 0
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
    sleep 0.5
  done
  echo "not ready on port $port after $seconds s" >&2
  return 1
}

# An existing rustdesk-server install's data in directory $1, as that server leaves it: a key pair
# made by rustdesk-utils ($2), and db_v2.sqlite3 with rustdesk-server's schema and one registered peer.
seed_rustdesk_server_data() {
  local directory=$1 utils=$2
  mkdir -p "$directory"
  local pair
  pair=$("$utils" genkeypair)
  printf '%s' "$(sed -n 's/^Public Key: *//p' <<<"$pair")" >"$directory/id_ed25519.pub"
  printf '%s' "$(sed -n 's/^Secret Key: *//p' <<<"$pair")" >"$directory/id_ed25519"
  chmod 0600 "$directory/id_ed25519"
  python3 - "$directory/db_v2.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
create table if not exists peer (
    guid blob primary key not null, id varchar(100) not null, uuid blob not null, pk blob not null,
    created_at datetime not null default(current_timestamp), user blob, status tinyint,
    note varchar(300), info text not null
) without rowid;
create unique index if not exists index_peer_id on peer (id);
create index if not exists index_peer_user on peer (user);
create index if not exists index_peer_created_at on peer (created_at);
create index if not exists index_peer_status on peer (status);
""")
db.execute("insert into peer (guid, id, uuid, pk, info) values (?, ?, ?, ?, ?)",
           (bytes(range(16)), "seeded-peer", b"seeded-uuid", bytes(32), '{"ip":"127.0.0.1"}'))
db.commit()
PY
}

# The number of rows in the peer table of $1, and whether the seeded peer is still there.
peer_rows() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select count(*) from peer").fetchone()[0]
seeded = db.execute("select count(*) from peer where id = 'seeded-peer'").fetchone()[0]
print(rows if seeded == 1 else "seeded peer missing")
PY
}

# Runs the independent interop client against hbbs on $1 and hbbr on $2 with the public key file $3.
run_interop() {
  [ -f "$interop_dir/run.py" ] || { echo "interop client not found at $interop_dir (set INTEROP_DIR)" >&2; return 1; }
  bash "$interop_dir/setup.sh" >/dev/null
  python3 "$interop_dir/run.py" --host 127.0.0.1 --port "$1" --relay-port "$2" --key-file "$3" --relay-mib 16
}
