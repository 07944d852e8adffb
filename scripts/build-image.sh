#!/usr/bin/env bash
# Builds the container image from release binaries and saves it as an OCI archive (scripts/package.sh runs it):
#   bash scripts/build-image.sh BIN_DIR OUT_DIR VERSION [COMMIT]
# or prepares only the image's root (the Dockerfile's builder stage does that):
#   bash scripts/build-image.sh --rootfs BIN_DIR ROOT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
programs=(hbbs hbbr rustdesk-utils rustdesk-entrypoint)

# A "distroless" root: the binaries, the shared libraries ldd names (libc, libstdc++, libgcc_s, libm and
# the loader; the Swift runtime, libsodium and SQLite are linked in), the service user, and the directories
# the servers use. Nothing else: no shell, no package manager.
prepare_root() {
  local bin_dir=$1 root=$2
  rm -rf "$root"
  mkdir -p "$root/usr/bin" "$root/etc" "$root/data" "$root/root" "$root/tmp" "$root/run"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  for program in "${programs[@]}"; do
    install -m 0755 "$bin_dir/$program" "$root/usr/bin/$program"
    ldd "$bin_dir/$program" | grep -oE '/[^ ]+' | while read -r library; do
      mkdir -p "$root$(dirname "$library")"
      cp -L "$library" "$root$library"
    done
  done
  # glibc reads these for users, groups and name lookups; podman and Docker mount their own hosts and resolv.conf.
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nrustdesk:x:10001:10001:RustDesk server:/data:/usr/sbin/nologin\n' \
    >"$root/etc/passwd"
  printf 'root:x:0:\nrustdesk:x:10001:\n' >"$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
}

if [ "${1:-}" = "--rootfs" ]; then
  [ $# = 3 ] || { echo "usage: $0 --rootfs BIN_DIR ROOT_DIR" >&2; exit 2; }
  prepare_root "$2" "$3"
  exit 0
fi
[ $# -ge 3 ] || { echo "usage: $0 BIN_DIR OUT_DIR VERSION [COMMIT]" >&2; exit 2; }
bin_dir=$1 out_dir=$2 version=$3 commit=${4:-unknown}

# The Dockerfile (for machines with Docker) must ship the image tested here: its last stage is this file.
if ! diff <(sed -n '/^FROM scratch/,$p' packaging/container/Containerfile | grep -vE '^COPY ') \
  <(sed -n '/^FROM scratch/,$p' Dockerfile | grep -vE '^COPY ') >/dev/null; then
  echo "Dockerfile's last stage differs from packaging/container/Containerfile: keep them equal" >&2
  exit 1
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
prepare_root "$bin_dir" "$context/rootfs"
cp packaging/container/Containerfile "$context/Containerfile"
image=localhost/rustdesk-server-swift
# Docker's format keeps HEALTHCHECK in the image podman stores (for `podman run` here); the OCI image format
# has no field for it, so the archive leaves it out and docker-compose.yml declares it.
podman build --quiet --format docker --file "$context/Containerfile" \
  --label "org.opencontainers.image.version=$version" --label "org.opencontainers.image.revision=$commit" \
  --tag "$image:$version" --tag "$image:latest" "$context" >/dev/null
# The image podman keeps (Docker's format) has the HEALTHCHECK; the OCI archive cannot carry it.
health=$(podman image inspect --format '{{json .HealthCheck.Test}}' "$image:$version")
[ "$health" = '["CMD","/usr/bin/rustdesk-entrypoint","healthcheck"]' ] \
  || { echo "the built image has no HEALTHCHECK: $health" >&2; exit 1; }
archive="$out_dir/rustdesk-server-swift_${version}_oci.tar"
rm -f "$archive"
podman save --quiet --format oci-archive --output "$archive" "$image:$version"
echo "$archive"
