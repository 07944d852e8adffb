#!/usr/bin/env bash
# Builds the Debian packages rustdesk-server-hbbs, rustdesk-server-hbbr and rustdesk-server-utils, with
# rustdesk-server's package names, paths and unit names so they replace its packages in place, from
# stripped release binaries (Swift runtime linked statically). No network, no debhelper: dpkg-deb,
# plus dpkg-shlibdeps (dpkg-dev) for Depends and systemd-analyze (systemd) to verify the units.
# Prints the paths of the three .deb files.
#   bash scripts/build-debs.sh BIN_DIR OUT_DIR VERSION      (BIN_DIR holds hbbs, hbbr, rustdesk-utils)
set -euo pipefail

[ $# = 3 ] || { echo "usage: $0 BIN_DIR OUT_DIR VERSION" >&2; exit 2; }
bin_dir=$(cd "$1" && pwd)
mkdir -p "$2"
out_dir=$(cd "$2" && pwd)
templates=$(cd "$(dirname "$0")/../packaging/debian" && pwd)
# The epoch 1: makes every version of ours sort above rustdesk-server's (1.1.17 and any later 1.x
# without an epoch), so `apt install ./rustdesk-server-hbbs_….deb` upgrades its package in place
# instead of refusing a downgrade.
version="1:$3"
dpkg --validate-version "$version" || { echo "not a valid Debian version: $version" >&2; exit 2; }
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-rustdesk-server-swift maintainers <maintainers@users.noreply.r-seed-ab966cb7.example>}

for tool in dpkg-deb dpkg-shlibdeps systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install dpkg-dev systemd)" >&2; exit 1; }
done
for binary in hbbs hbbr rustdesk-utils; do
  [ -x "$bin_dir/$binary" ] || { echo "no executable $bin_dir/$binary" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants to run in a source tree: a debian/control, and each package's files staged in
# debian/<package>/.
mkdir -p "$work/debian"
touch "$work/debian/control"

# stage PACKAGE BINARY [UNIT]: the package's file tree under $work/debian/PACKAGE.
stage() {
  local package=$1 binary=$2 unit=${3:-} root="$work/debian/$1"
  install -D -m 0755 "$bin_dir/$binary" "$root/usr/bin/$binary"
  install -D -m 0644 "$templates/copyright" "$root/usr/share/doc/$package/copyright"
  mkdir -p "$root/DEBIAN"
  if [ -n "$unit" ]; then
    # /lib, not /usr/lib: rustdesk-server ships its units there, and a file moving between the two
    # aliased paths across an upgrade is deleted by dpkg (Debian's usr-merge caveat, DEP 17).
    install -D -m 0644 "$templates/$unit.service" "$root/lib/systemd/system/$unit.service"
    local script
    for script in postinst prerm postrm; do
      sed "s/@SERVER@/$binary/g" "$templates/service.$script" >"$root/DEBIAN/$script"
      chmod 0755 "$root/DEBIAN/$script"
    done
  fi
}

# control PACKAGE SUMMARY DETAIL RECOMMENDS: DEBIAN/control, Depends computed from the binary.
control() {
  local package=$1 summary=$2 detail=$3 recommends=$4 root="$work/debian/$1"
  local depends size
  depends=$(cd "$work" && dpkg-shlibdeps -O "debian/$package/usr/bin/"* | sed -n 's/^shlibs:Depends=//p')
  [ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies for $package" >&2; exit 1; }
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s|@PACKAGE@|$package|" -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" \
      -e "s|@MAINTAINER@|$maintainer|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
      -e "s|@RECOMMENDS@|$recommends|" -e "s|@SUMMARY@|$summary|" -e "s|@DETAIL@|$detail|" \
      -e '/^Recommends: $/d' "$templates/control.in" >"$root/DEBIAN/control"
}

stage rustdesk-server-hbbs hbbs rustdesk-hbbs
stage rustdesk-server-hbbr hbbr rustdesk-hbbr
stage rustdesk-server-utils rustdesk-utils
# Both servers read the file; it goes with hbbs, the server nearly every install has.
install -D -m 0644 "$templates/rustdesk-server.default" "$work/debian/rustdesk-server-hbbs/etc/default/rustdesk-server"
echo /etc/default/rustdesk-server >"$work/debian/rustdesk-server-hbbs/DEBIAN/conffiles"

# systemd is only recommended: the binaries run without it (containers, chroots, other inits).
control rustdesk-server-hbbs "RustDesk ID/rendezvous server (hbbs), Swift implementation" \
  "This package contains hbbs and its unit rustdesk-hbbs.service." systemd
control rustdesk-server-hbbr "RustDesk relay server (hbbr), Swift implementation" \
  "This package contains hbbr and its unit rustdesk-hbbr.service." systemd
control rustdesk-server-utils "RustDesk server tools (rustdesk-utils), Swift implementation" \
  "This package contains rustdesk-utils (keys, API users and tokens, doctor)." ""

# Verify the units in a root holding the binaries at their installed paths (so ExecStart is checked)
# and the host's system units (the targets they refer to); any message counts as a failure, since
# systemd-analyze only warns about unknown or misspelled settings.
verify_root="$work/verify-root"
mkdir -p "$verify_root/lib/systemd" "$verify_root/usr/bin"
cp -a /lib/systemd/system "$verify_root/lib/systemd/"
for server in hbbs hbbr; do
  cp "$work/debian/rustdesk-server-$server/lib/systemd/system/rustdesk-$server.service" "$verify_root/lib/systemd/system/"
  cp "$bin_dir/$server" "$verify_root/usr/bin/"
done
if ! messages=$(systemd-analyze verify --root="$verify_root" \
      /lib/systemd/system/rustdesk-hbbs.service /lib/systemd/system/rustdesk-hbbr.service 2>&1) \
    || [ -n "$messages" ]; then
  echo "$messages" >&2
  echo "systemd-analyze verify failed on the units" >&2
  exit 1
fi
echo "units verified: systemd-analyze verify rustdesk-hbbs.service rustdesk-hbbr.service" >&2

for package in rustdesk-server-hbbs rustdesk-server-hbbr rustdesk-server-utils; do
  deb="$out_dir/${package}_${3}_${arch}.deb"
  # --root-owner-group: every file root:root whoever builds; xz is what dpkg-deb defaults to anyway.
  dpkg-deb --root-owner-group -Zxz --build "$work/debian/$package" "$deb" >/dev/null
  echo "$deb"
done
