#!/usr/bin/env bash
# ci/build.sh: configure and build rlvrbench (Release, build/) with every test and benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
echo "[build] configure (preset release)"
cmake --preset release >/dev/null
echo "[build] compiling with $jobs jobs (ccache: $(command -v ccache || echo none))"
start=$(date +%s)
cmake --build --preset release -j "$jobs"
echo "[build] done in $(( $(date +%s) - start )) s"
