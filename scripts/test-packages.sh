#!/usr/bin/env bash
# Builds every artefact (scripts/package.sh) and runs the install-and-run test of each: the container image
# (scripts/test-image.sh) and the Debian packages (scripts/test-deb.sh). Needs root, podman and network
# access to a Debian mirror the first time (debootstrap; the root is cached in .build-packaging/).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash scripts/package.sh
echo "== package.sh took $((SECONDS - start)) s" >&2
bash scripts/test-image.sh
bash scripts/test-deb.sh
echo "== packages built and tested in $((SECONDS - start)) s" >&2
