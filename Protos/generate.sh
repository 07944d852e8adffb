#!/usr/bin/env bash
# Regenerates Sources/RendezvousProtocol/*.pb.swift from Protos/*.proto.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift from swift-protobuf 1.39.0,
# which this script builds into .build-protoc-gen-swift/ when it is not on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v protoc >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq protobuf-compiler; else
    echo "protoc missing: apt-get install protobuf-compiler" >&2; exit 1; fi
fi

plugin=$(command -v protoc-gen-swift || true)
if [ -z "$plugin" ]; then
  work="$root/.build-protoc-gen-swift"
  if [ ! -d "$work/swift-protobuf" ]; then
    mkdir -p "$work"
    git clone -q https://github.com/apple/swift-protobuf "$work/swift-protobuf"
  fi
  git -C "$work/swift-protobuf" checkout -q 1.39.0
  (cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift >&2)
  plugin="$work/swift-protobuf/.build/release/protoc-gen-swift"
fi

protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public \
  --swift_out=Sources/RendezvousProtocol \
  -I Protos Protos/rendezvous.proto
echo "generated Sources/RendezvousProtocol/rendezvous.pb.swift"
