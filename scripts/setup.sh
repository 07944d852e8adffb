#!/usr/bin/env bash
# Installs what building rustdesk-server-swift needs on a fresh Debian/Ubuntu machine
# (Swift itself is expected at /opt/swift or on PATH).
set -euo pipefail

# prometheus brings `prometheus` and `promtool` for the observability tests (they run the binaries
# themselves, on loopback and ephemeral ports).
packages=(libsodium-dev libsqlite3-dev pkg-config prometheus)
# A release build alone (the Dockerfile's builder) needs no test tools.
[ "${SETUP_BUILD_ONLY:-0}" = 1 ] && packages=(libsodium-dev libsqlite3-dev pkg-config)
# Benchmarks add theirs (e.g. SETUP_EXTRA_PACKAGES="wrk nginx"); their services stay stopped too.
read -r -a extra_packages <<<"${SETUP_EXTRA_PACKAGES:-}"
packages+=("${extra_packages[@]}")
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  # prometheus's maintainer script starts a system Prometheus on :9090 (through init.d where there is
  # no systemd, failing the install if that start fails). A policy-rc.d that forbids every start
  # (exit 101) keeps it installed but stopped; an existing policy is put back afterwards.
  policy=/usr/sbin/policy-rc.d
  saved_policy=""
  if [ -e "$policy" ]; then
    saved_policy=$(mktemp)
    "${sudo_cmd[@]}" cp -p "$policy" "$saved_policy"
  fi
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  install_status=0
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || install_status=$?
  if [ -n "$saved_policy" ]; then
    "${sudo_cmd[@]}" mv "$saved_policy" "$policy"
  else
    "${sudo_cmd[@]}" rm -f "$policy"
  fi
  [ "$install_status" = 0 ] || { echo "apt-get install failed" >&2; return "$install_status" 2>/dev/null || exit "$install_status"; }
fi

if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
command -v swift >/dev/null || { echo "swift not found: install Swift 6.2 or later" >&2; exit 1; }
