#!/usr/bin/env bash
# Builds every release artefact into dist/ (README "Install"):
#   dist/bin/{hbbs,hbbr,rustdesk-utils,rustdesk-entrypoint}  release, Swift runtime static, stripped
#   dist/rustdesk-server-{hbbs,hbbr,utils}_<version>_<arch>.deb
#   dist/rustdesk-server-swift_<version>_oci.tar              OCI archive (podman load -i …)
#   dist/SHA256SUMS
# Usage: bash scripts/package.sh [--no-debs] [--no-image]
set -euo pipefail
cd "$(dirname "$0")/.."

build_debs=1
build_image=1
for argument in "$@"; do
  case "$argument" in
    --no-debs) build_debs=0 ;;
    --no-image) build_image=0 ;;
    *) echo "usage: $0 [--no-debs] [--no-image]" >&2; exit 2 ;;
  esac
done

# podman builds the image without a Docker engine; runc is the runtime these machines can run it with.
extra="binutils"
[ "$build_image" = 1 ] && extra+=" podman runc"
# build-debs.sh: dpkg-shlibdeps computes Depends, systemd-analyze verifies the units.
[ "$build_debs" = 1 ] && extra+=" dpkg-dev systemd"
SETUP_EXTRA_PACKAGES="${SETUP_EXTRA_PACKAGES:-} $extra" source scripts/setup.sh

version=$(sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/RustDeskCore/BuildInfo.swift)
# RD_COMMIT names the commit where there is no .git (a Docker build context).
commit=${RD_COMMIT:-$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)}
products=(hbbs hbbr rustdesk-utils rustdesk-entrypoint)
scratch=.build-release
echo "== release build of $version (commit $commit)" >&2

# libsodium and SQLite are linked from their archives where Debian ships them. The linker takes the first
# libfoo it finds along its -L directories, so a directory holding only the archives goes first: SQLite's
# -l comes with no directory of its own, and libsodium's through a copy of its pkg-config file (SwiftPM
# would otherwise pass the system directory, with the shared library, ahead of ours).
static_libs="$PWD/$scratch/static-libs"
pkgconfig="$PWD/$scratch/pkgconfig"
rm -rf "$static_libs" "$pkgconfig" && mkdir -p "$static_libs" "$pkgconfig"
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
for library in libsodium libsqlite3; do
  archive="/usr/lib/$multiarch/$library.a"
  if [ -f "$archive" ]; then cp "$archive" "$static_libs/"; else echo "note: no $archive, $library stays shared" >&2; fi
done
if [ -f "$static_libs/libsodium.a" ]; then
  sed "s|^libdir=.*|libdir=$static_libs|" "/usr/lib/$multiarch/pkgconfig/libsodium.pc" >"$pkgconfig/libsodium.pc"
  export PKG_CONFIG_PATH="$pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi

build_flags=(-c release --scratch-path "$scratch" --static-swift-stdlib
  -Xcc "-DRD_BUILD_COMMIT=\"$commit\"" -Xlinker "-L$static_libs")
log=$(mktemp)
for product in "${products[@]}"; do
  if ! swift build "${build_flags[@]}" --product "$product" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    exit 1
  fi
done
rm -f "$log"
bin_path=$(swift build "${build_flags[@]}" --show-bin-path)

rm -rf dist && mkdir -p dist/bin
for product in "${products[@]}"; do
  [ -x "$bin_path/$product" ] || { echo "release build did not produce $product" >&2; exit 1; }
  strip -o "dist/bin/$product" "$bin_path/$product"
done
for server in hbbs hbbr; do
  printed=$("dist/bin/$server" --version)
  [ "$printed" = "$server $version (commit $commit)" ] || { echo "unexpected --version: $printed" >&2; exit 1; }
done
static_names=$(for archive in "$static_libs"/*.a; do [ -e "$archive" ] && printf '|%s' "$(basename "$archive" .a)"; done)
echo "== binaries (shared libraries they still need)" >&2
for product in "${products[@]}"; do
  libraries=$(ldd "dist/bin/$product" | awk '{print $1}' | grep -vE '^(linux-vdso|/)' | tr '\n' ' ')
  printf '%-20s %6s KiB  %s\n' "$product" "$(( $(stat -c %s "dist/bin/$product") / 1024 ))" "$libraries" >&2
  if ldd "dist/bin/$product" | grep -qE "libswift|libFoundation|libdispatch$static_names"; then
    echo "$product still links the Swift runtime or an archive in $static_libs dynamically" >&2
    exit 1
  fi
done

if [ "$build_debs" = 1 ]; then
  echo "== Debian packages" >&2
  bash scripts/build-debs.sh dist/bin dist "$version"
fi
if [ "$build_image" = 1 ]; then
  echo "== container image" >&2
  bash scripts/build-image.sh dist/bin dist "$version" "$commit"
fi

(cd dist && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort | xargs sha256sum > SHA256SUMS)
echo "== dist/" >&2
(cd dist && ls -l bin ./*.deb ./*.tar 2>/dev/null) >&2 || true
