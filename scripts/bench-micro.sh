#!/usr/bin/env bash
# Runs the micro-benchmarks of Benchmarks/ (codec, registry, crypto) with package-benchmark, in
# release mode, after setting up what is missing. Not part of CI: scripts/test.sh never builds them.
# Extra arguments go to the benchmark plugin, e.g.:
#   bash scripts/bench-micro.sh --target RegistryBenchmarks
#   bash scripts/bench-micro.sh --filter 'Heartbeat.*' --allocation-stacks
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

cd Benchmarks
# --disable-sandbox: the plugin starts the benchmark executables and reads their results.
swift package --disable-sandbox benchmark "$@"
