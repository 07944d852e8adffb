#!/usr/bin/env bash
# The Debian packages' install-and-run test (issue 14): in a fresh Debian bookworm root (debootstrap
# minbase, cached as a tarball) holding an existing rustdesk-server install (its packages' files, an
# enabled unit, root-owned keys and db_v2.sqlite3), installs the three .deb files over it, runs hbbs
# and hbbr from their installed paths as the service user, passes the independent interop client
# through them, stops them, purges the packages and checks that only the data is left.
# Needs root (chroot, mount); all traffic stays on 127.0.0.1.
#   bash scripts/test-deb.sh [DEB_DIR]      (default dist/, as scripts/package.sh leaves it)
# DEBIAN_MIRROR overrides the mirror (first run only), INTEROP_DIR where the interop client is.
# Delete .build-packaging/debian-root.tar to make the root again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packaging-test.sh

deb_dir=${1:-dist}
[ "$(id -u)" = 0 ] || { echo "run as root (chroot and mount)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
packages=(rustdesk-server-hbbs rustdesk-server-hbbr rustdesk-server-utils)
debs=()
for package in "${packages[@]}"; do
  found=("$deb_dir/${package}_"*"_$arch.deb")
  [ "${#found[@]}" = 1 ] && [ -f "${found[0]}" ] \
    || { echo "need exactly one $deb_dir/${package}_*_$arch.deb (scripts/build-debs.sh)" >&2; exit 1; }
  debs+=("${found[0]}")
done
version=$(dpkg-deb --field "${debs[0]}" Version)
cache=.build-packaging/debian-root.tar
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

work=$(mktemp -d)
root="$work/root"
data="$root/var/lib/rustdesk-server"
pids=()
mounts=()
timings=()
failed=""
step_name=""
step_start=$SECONDS

step() {
  [ -z "$step_name" ] || timings+=("$(printf '%4ss  %s' $((SECONDS - step_start)) "$step_name")")
  step_name=$1
  step_start=$SECONDS
  echo "== $1"
}
fail() {
  failed=$1
  echo "FAIL: $1" >&2
  exit 1
}
# Whether child PID still runs: an exited child stays a zombie until waited for, so kill -0 cannot tell.
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
# The root's own tools, with a clean environment (not this host's PATH or locale).
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true; done
  # Never delete through a mount that is still there (a bound /dev, the host's /proc).
  if grep -q " $root" /proc/self/mounts; then
    echo "still mounted under $root; left $work in place" >&2
  else
    rm -rf --one-file-system "$work"
  fi
  [ -z "$step_name" ] || timings+=("$(printf '%4ss  %s' $((SECONDS - step_start)) "$step_name")")
  echo "== timings"
  printf '%s\n' "${timings[@]}"
  if [ "$status" = 0 ]; then
    echo "PASS: Debian packages $version install over rustdesk-server, run, stop and purge cleanly"
  else
    echo "FAIL: Debian package test${failed:+: $failed} (exit $status)"
  fi
}
trap cleanup EXIT

step "Debian bookworm root"
if [ ! -f "$cache" ]; then
  # The keyring checks the mirror's signatures (an Ubuntu host does not have it by default).
  missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  echo "making the cached root $cache (once): debootstrap --variant=minbase bookworm"
  debootstrap --variant=minbase bookworm "$work/bootstrap" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  mkdir -p "$(dirname "$cache")"
  tar --numeric-owner -C "$work/bootstrap" -cf "$cache.partial" .
  mv "$cache.partial" "$cache"
  rm -rf --one-file-system "$work/bootstrap"
fi
# A fresh copy every run, so no run sees another's leftovers.
mkdir "$root"
tar --numeric-owner -C "$root" -xpf "$cache"
mount -t proc proc "$root/proc"
mounts+=("$root/proc")
# Where device nodes cannot be created (a rootless container), borrow the host's.
if [ ! -c "$root/dev/null" ]; then
  mount --bind /dev "$root/dev"
  mounts+=("$root/dev")
fi
echo "$(in_root cat /etc/debian_version) in $root"

step "an existing rustdesk-server install: its packages, an enabled unit, root-owned keys and db_v2.sqlite3"
# Stand-ins with rustdesk-server's package names, its version scheme and its file paths, so dpkg really
# upgrades a package in place (the epoch decides) and takes over the unit files.
for package in "${packages[@]}"; do
  stand_in="$work/stand-in/$package"
  binary=${package#rustdesk-server-}
  [ "$binary" = utils ] && binary=rustdesk-utils
  mkdir -p "$stand_in/DEBIAN" "$stand_in/usr/bin"
  printf '#!/bin/sh\necho "rustdesk-server stand-in"\n' >"$stand_in/usr/bin/$binary"
  chmod 0755 "$stand_in/usr/bin/$binary"
  if [ "$binary" != rustdesk-utils ]; then
    mkdir -p "$stand_in/lib/systemd/system"
    printf '[Service]\nExecStart=/usr/bin/%s\n[Install]\nWantedBy=multi-user.target\n' "$binary" \
      >"$stand_in/lib/systemd/system/rustdesk-$binary.service"
  fi
  printf 'Package: %s\nVersion: 1.1.17\nArchitecture: %s\nMaintainer: test <test@localhost>\nDescription: stand-in\n' \
    "$package" "$arch" >"$stand_in/DEBIAN/control"
  dpkg-deb --root-owner-group --build "$stand_in" "$root/tmp/$package-1.1.17.deb" >/dev/null
done
in_root dpkg -i /tmp/rustdesk-server-hbbs-1.1.17.deb /tmp/rustdesk-server-hbbr-1.1.17.deb \
  /tmp/rustdesk-server-utils-1.1.17.deb >/dev/null
rm -f "$root"/tmp/*-1.1.17.deb
# What `systemctl enable rustdesk-hbbs` leaves.
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -s /lib/systemd/system/rustdesk-hbbs.service "$root/etc/systemd/system/multi-user.target.wants/"
# The data the Rust hbbs left, owned by root; the key pair made by the packaged rustdesk-utils.
dpkg-deb -x "${debs[2]}" "$work/utils"
seed_rustdesk_server_data "$data" "$work/utils/usr/bin/rustdesk-utils"
public_key=$(cat "$data/id_ed25519.pub")
secret_key=$(cat "$data/id_ed25519")
[ -n "$public_key" ] && [ -n "$secret_key" ] || fail "rustdesk-utils genkeypair made no key pair"
rows_before=$(peer_rows "$data/db_v2.sqlite3")
in_root dpkg-query -W "${packages[@]}"
ls -ln "$data"

# The maintainer scripts call systemctl only where systemd runs (/run/systemd/system): a stand-in
# records what they ask for.
mkdir -p "$root/run/systemd/system"
printf '#!/bin/sh\necho "$*" >>/var/log/systemctl-calls\n' >"$root/usr/bin/systemctl"
chmod 0755 "$root/usr/bin/systemctl"
calls="$root/var/log/systemctl-calls"
# check_calls EXPECTED: the systemctl calls since the last check, one per line, in order.
check_calls() {
  local made
  made=$(cat "$calls" 2>/dev/null || true)
  rm -f "$calls"
  [ "$made" = "$1" ] || fail "systemctl calls were [$(paste -sd ';' <<<"$made")], expected [$(paste -sd ';' <<<"$1")]"
  echo "systemctl calls: $(paste -sd ';' <<<"$made" | sed 's/;/; /g')"
}

step "dpkg -i the three packages"
copies=()
for deb in "${debs[@]}"; do
  cp "$deb" "$root/tmp/"
  copies+=("/tmp/$(basename "$deb")")
done
in_root dpkg -i "${copies[@]}" || fail "dpkg -i"
for package in "${packages[@]}"; do
  [ "$(in_root dpkg-query -W -f '${Status} ${Version}' "$package")" = "install ok installed $version" ] \
    || fail "$package is not installed at $version"
done
server_version=${version#*:}
for binary in hbbs hbbr rustdesk-utils; do
  printed=$(in_root "/usr/bin/$binary" --version) || fail "$binary --version"
  [[ "$printed" == "$binary $server_version "* ]] || fail "$binary --version printed: $printed"
  echo "$printed"
done
uid=$(in_root id -u rustdesk) || fail "no user rustdesk"
gid=$(in_root id -g rustdesk)
[ "$uid" -lt 1000 ] || fail "rustdesk is not a system user (uid $uid)"
in_root getent passwd rustdesk
[ "$(stat -c '%u:%g %a' "$data")" = "$uid:$gid 750" ] || fail "$data is $(stat -c '%u:%g %a' "$data")"
for file in id_ed25519 id_ed25519.pub db_v2.sqlite3; do
  [ "$(stat -c '%u:%g' "$data/$file")" = "$uid:$gid" ] || fail "$file is still owned by $(stat -c '%u:%g' "$data/$file")"
done
[ -f "$root/etc/default/rustdesk-server" ] && grep -q conffiles <(dpkg-deb -I "${debs[0]}") \
  || fail "/etc/default/rustdesk-server is not a conffile of rustdesk-server-hbbs"
[ -L "$root/etc/systemd/system/multi-user.target.wants/rustdesk-hbbs.service" ] || fail "the enabled unit's link went away"
# An upgrade restarts a running service (try-restart does nothing to a stopped one) and never enables
# or starts one.
check_calls "daemon-reload
try-restart rustdesk-hbbs.service
daemon-reload
try-restart rustdesk-hbbr.service"
for process in /proc/[0-9]*; do
  [ "$(readlink "$process/root" 2>/dev/null)" != "$root" ] || fail "the packages started $(readlink "$process/exe")"
done
echo "installed over 1.1.17; user rustdesk ($uid:$gid) owns the data; nothing was started"

step "hbbs and hbbr from /usr/bin as user rustdesk"
# One run of free ports: hbbs PORT-2 … PORT+2, hbbr RELAY … RELAY+2, the two metrics ports.
base=$(free_port_base 10)
port=$((base + 2))
relay_port=$((base + 5))
metrics=$((base + 8))
# As the units run them: in the state directory, with /etc/default/rustdesk-server's environment.
run_server() {
  local name=$1 metrics_port=$2
  shift 2
  chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i PATH=/usr/bin:/bin \
    HOME=/var/lib/rustdesk-server METRICS_ADDR="127.0.0.1:$metrics_port" /bin/sh -c \
    'set -a; . /etc/default/rustdesk-server; set +a; cd /var/lib/rustdesk-server && exec "$@"' sh "$@" \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
}
run_server hbbr "$((metrics + 1))" /usr/bin/hbbr -p "$relay_port"
hbbr_pid=${pids[-1]}
run_server hbbs "$metrics" /usr/bin/hbbs -p "$port" -r "127.0.0.1:$relay_port"
hbbs_pid=${pids[-1]}
# wait_server NAME PID METRICS_PORT: up to 60 s for /readyz, giving up as soon as the server exits.
wait_server() {
  local deadline=$((SECONDS + 60))
  until wait_ready "$3" 1 2>/dev/null; do
    if ! alive "$2" || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$work/$1.log"
      fail "$1 not ready"
    fi
  done
}
wait_server hbbs "$hbbs_pid" "$metrics"
wait_server hbbr "$hbbr_pid" "$((metrics + 1))"
for pid in "$hbbs_pid" "$hbbr_pid"; do
  echo "$(readlink "/proc/$pid/exe") pid $pid uid $(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
  [ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$uid" ] || fail "pid $pid does not run as rustdesk"
done

step "interop client through hbbs ($port) and hbbr ($relay_port)"
run_interop "$port" "$relay_port" "$data/id_ed25519.pub" | tee "$work/interop.log" || fail "interop client"
grep -qx "7 passed, 0 failed" "$work/interop.log" || fail "not all 7 interop scenarios passed"

step "SIGTERM"
kill -TERM "$hbbs_pid" "$hbbr_pid"
for pid in "$hbbs_pid" "$hbbr_pid"; do
  deadline=$((SECONDS + 20))
  while alive "$pid"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "pid $pid still running 20 s after SIGTERM"
    sleep 0.2
  done
  status=0
  wait "$pid" || status=$?
  [ "$status" = 0 ] || { tail -n 20 "$work"/hb*.log; fail "pid $pid exited with $status"; }
done
pids=()
for name in hbbs hbbr; do
  tail -n 1 "$work/$name.log"
  grep -q "stopped" "$work/$name.log" || fail "$name did not log its clean stop"
done
echo "both exited 0"
[ "$(cat "$data/id_ed25519.pub")" = "$public_key" ] && [ "$(cat "$data/id_ed25519")" = "$secret_key" ] \
  || fail "the seeded key pair changed"
grep -qF "Key: $public_key" "$work/hbbs.log" || fail "hbbs did not log the seeded public key"
rows_after=$(peer_rows "$data/db_v2.sqlite3")
[[ "$rows_after" =~ ^[0-9]+$ ]] && [ "$rows_after" -gt "$rows_before" ] \
  || fail "peers in db_v2.sqlite3: $rows_before before, $rows_after after"
echo "seeded key pair kept; peer rows $rows_before -> $rows_after (seeded peer kept)"
stray=$(find "$data" ! -uid "$uid" -printf '%p ')
[ -z "$stray" ] || fail "files in the data directory not owned by rustdesk: $stray"

# purge_and_check: purge the packages; only the data directory and the user may be left.
purge_and_check() {
  in_root dpkg --purge "${packages[@]}" || fail "dpkg --purge"
  for path in /usr/bin/hbbs /usr/bin/hbbr /usr/bin/rustdesk-utils /lib/systemd/system/rustdesk-hbbs.service \
      /lib/systemd/system/rustdesk-hbbr.service /etc/default/rustdesk-server \
      /etc/systemd/system/multi-user.target.wants/rustdesk-hbbs.service \
      /usr/share/doc/rustdesk-server-hbbs /usr/share/doc/rustdesk-server-hbbr /usr/share/doc/rustdesk-server-utils; do
    if [ -e "$root$path" ] || [ -L "$root$path" ]; then fail "$path is left after purge"; fi
  done
  for package in "${packages[@]}"; do
    status=$(in_root dpkg-query -W -f '${Status}' "$package" 2>/dev/null || true)
    [ -z "$status" ] || [ "$status" = "unknown ok not-installed" ] || fail "$package is still known to dpkg: $status"
  done
  [ "$(cat "$data/id_ed25519.pub")" = "$public_key" ] && [ -f "$data/id_ed25519" ] && [ -f "$data/db_v2.sqlite3" ] \
    || fail "the data directory did not survive the purge"
  [ "$(peer_rows "$data/db_v2.sqlite3")" = "$rows_after" ] || fail "db_v2.sqlite3 changed by the purge"
  in_root getent passwd rustdesk >/dev/null || fail "user rustdesk was removed"
  check_calls "stop rustdesk-hbbs.service
daemon-reload
stop rustdesk-hbbr.service
daemon-reload"
  echo "binaries, units, conffile, enable link and docs gone; $(ls "$data" | tr '\n' ' ')kept in /var/lib/rustdesk-server"
}

step "dpkg --purge"
purge_and_check

step "a fresh install (no earlier version) starts nothing; purge again"
in_root dpkg -i "${copies[@]}" >/dev/null || fail "dpkg -i after purge"
check_calls "daemon-reload
daemon-reload"
[ "$(stat -c '%u:%g %a' "$data")" = "$uid:$gid 750" ] || fail "$data is $(stat -c '%u:%g %a' "$data")"
purge_and_check
