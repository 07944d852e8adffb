#!/usr/bin/env bash
# The container image's install-and-run test (issue 14): loads dist/'s OCI archive into podman, runs hbbs and
# hbbr from it on a volume holding an existing rustdesk-server install (root-owned keys and db_v2.sqlite3),
# passes the independent interop client through them, stops them, and checks the data stayed in the volume.
# A second run with an empty volume checks KEY_PUB/KEY_PRIV. Needs root (rootful podman), loopback only.
#   bash scripts/test-image.sh [dist/rustdesk-server-swift_<version>_oci.tar]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packaging-test.sh

archive=${1:-$(ls dist/rustdesk-server-swift_*_oci.tar 2>/dev/null | head -n 1)}
[ -f "$archive" ] || { echo "no image archive: run scripts/package.sh first" >&2; exit 1; }
SETUP_EXTRA_PACKAGES="podman runc" source scripts/setup.sh

# On these machines podman runs containers only with runc and with explicit limits below the machine's own
# (the default nofile/nproc it asks for exceed them). A real host needs none of this.
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ] && nofile=65536
nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096
run_flags=(--runtime runc --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" --network host)
# The OCI image format has no health check field (podman save drops HEALTHCHECK when it converts), so the
# check is declared at run time, as docker-compose.yml does.
run_flags+=(--health-cmd '["/usr/bin/rustdesk-entrypoint", "healthcheck"]' --health-interval disable)

work=$(mktemp -d)
tag="rustdesk-swift-test-$$"
containers=()
cleanup() {
  for container in "${containers[@]}"; do podman rm -f "$container" >/dev/null 2>&1 || true; done
  podman rmi -f "localhost/$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== load $archive"
loaded=$(podman load --quiet --input "$archive")
image_id=$(sed -n 's/^Loaded image[^:]*: *//p' <<<"$loaded" | tail -n 1)
podman tag "$image_id" "localhost/$tag"
image="localhost/$tag"

echo "== an existing rustdesk-server install in the volume (root-owned)"
volume="$work/data"
seed_rustdesk_server_data "$volume" dist/bin/rustdesk-utils
public_key=$(cat "$volume/id_ed25519.pub")
rows_before=$(peer_rows "$volume/db_v2.sqlite3")

port=$(( $(free_port_base 5) + 2 ))
relay_port=$(free_port_base 3)
metrics=$(free_port_base 2)
hbbs_flags=(-e "METRICS_ADDR=127.0.0.1:$metrics")
hbbr_flags=(-e "METRICS_ADDR=127.0.0.1:$((metrics + 1))")
containers+=("$tag-hbbr" "$tag-hbbs")
podman run -d --name "$tag-hbbr" "${run_flags[@]}" "${hbbr_flags[@]}" -v "$volume:/data" "$image" \
  hbbr -p "$relay_port" >/dev/null
podman run -d --name "$tag-hbbs" "${run_flags[@]}" "${hbbs_flags[@]}" -v "$volume:/data" "$image" \
  hbbs -p "$port" -r "127.0.0.1:$relay_port" >/dev/null
wait_ready "$metrics" 60
wait_ready "$((metrics + 1))" 60
for container in "$tag-hbbs" "$tag-hbbr"; do
  podman healthcheck run "$container" || { echo "FAIL: $container's HEALTHCHECK failed" >&2; exit 1; }
  echo "$container: HEALTHCHECK passed"
done

echo "== interop client through the container's hbbs ($port) and hbbr ($relay_port)"
run_interop "$port" "$relay_port" "$volume/id_ed25519.pub"

echo "== podman stop"
podman stop --time 20 "$tag-hbbs" "$tag-hbbr" >/dev/null
for container in "$tag-hbbs" "$tag-hbbr"; do
  code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
  [ "$code" = 0 ] || { podman logs "$container" | tail -n 20; echo "FAIL: $container exited with $code" >&2; exit 1; }
  podman logs "$container" 2>&1 | grep -q "stopped" || { echo "FAIL: $container did not log its clean stop" >&2; exit 1; }
  if podman logs "$container" 2>&1 | grep -E "^[^ ]+ (error|critical) "; then
    echo "FAIL: $container logged errors" >&2
    exit 1
  fi
  echo "$container: stopped cleanly (exit 0)"
done

echo "== the data is in the volume"
[ "$(cat "$volume/id_ed25519.pub")" = "$public_key" ] || { echo "FAIL: the key pair changed" >&2; exit 1; }
rows_after=$(peer_rows "$volume/db_v2.sqlite3")
[[ "$rows_after" =~ ^[0-9]+$ ]] && [ "$rows_after" -gt "$rows_before" ] \
  || { echo "FAIL: peers in db_v2.sqlite3: $rows_before before, $rows_after after" >&2; exit 1; }
echo "same key pair; peer rows $rows_before -> $rows_after (seeded peer kept); owner $(stat -c %u:%g "$volume/db_v2.sqlite3")"

echo "== both servers in one container (no command, as rustdesk-server-s6), on the same volume"
# PORT moves both: hbbs to PORT, hbbr to PORT+1 (as upstream's hbbr reads it).
both_port=$(( $(free_port_base 6) + 2 ))
containers+=("$tag-both")
podman run -d --name "$tag-both" "${run_flags[@]}" -e "PORT=$both_port" -e "RELAY=127.0.0.1:$((both_port + 1))" \
  -e METRICS_ADDR=off -v "$volume:/data" "$image" >/dev/null
deadline=$((SECONDS + 60))
until podman healthcheck run "$tag-both" >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || { podman logs "$tag-both" | tail -n 20; echo "FAIL: never healthy" >&2; exit 1; }
  sleep 0.5
done
run_interop "$both_port" "$((both_port + 1))" "$volume/id_ed25519.pub"
podman stop --time 20 "$tag-both" >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$tag-both")
[ "$code" = 0 ] || { podman logs "$tag-both" | tail -n 20; echo "FAIL: both-servers container exited with $code" >&2; exit 1; }
[ "$(podman logs "$tag-both" 2>&1 | grep -c "stopped$")" -ge 2 ] || { echo "FAIL: not both servers stopped cleanly" >&2; exit 1; }
echo "$tag-both: both servers passed the interop client and stopped cleanly (exit 0)"

echo "== KEY_PUB/KEY_PRIV on an empty volume"
pair=$(dist/bin/rustdesk-utils genkeypair)
key_pub=$(sed -n 's/^Public Key: *//p' <<<"$pair")
key_priv=$(sed -n 's/^Secret Key: *//p' <<<"$pair")
empty="$work/empty"
mkdir -p "$empty"
relay_port=$(free_port_base 3)
containers+=("$tag-keys")
podman run -d --name "$tag-keys" "${run_flags[@]}" -e "METRICS_ADDR=127.0.0.1:$((metrics + 1))" \
  -e "KEY_PUB=$key_pub" -e "KEY_PRIV=$key_priv" -v "$empty:/data" "$image" hbbr -p "$relay_port" >/dev/null
wait_ready "$((metrics + 1))" 60
podman stop --time 20 "$tag-keys" >/dev/null
[ "$(cat "$empty/id_ed25519.pub")" = "$key_pub" ] && [ "$(cat "$empty/id_ed25519")" = "$key_priv" ] \
  || { echo "FAIL: KEY_PUB/KEY_PRIV were not written to the volume" >&2; exit 1; }
echo "KEY_PUB/KEY_PRIV written to the volume"

echo "== a key that differs from the volume's stops the start"
status=0
podman run --rm "${run_flags[@]}" -e "KEY_PRIV=$key_priv" -v "$volume:/data" "$image" hbbr >"$work/mismatch" 2>&1 \
  || status=$?
[ "$status" != 0 ] && grep -q "does not match" "$work/mismatch" \
  || { cat "$work/mismatch"; echo "FAIL: a mismatching KEY_PRIV was accepted" >&2; exit 1; }
echo "refused: $(grep 'does not match' "$work/mismatch")"

echo "PASS: container image install-and-run test"
