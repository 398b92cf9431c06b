#!/usr/bin/env bash
# ci/build.sh: configure and build rlvrbench (Release, build/) with every test and benchmark, against
# the LibTorch of the project environment .venv (ci/setup.sh makes it). A configure that fails on
# something rlvrbench checks (no environment, a torch of another version) prints its one line and
# exits 2; its whole log is build/configure.log.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
echo "[build] configure (preset release)"
mkdir -p build
if ! cmake --preset release > build/configure.log 2>&1; then
  line=$(grep -m1 '^rlvrbench configure: ' build/configure.log || true)
  if [ -n "$line" ]; then echo "$line" >&2; exit 2; fi
  tail -20 build/configure.log >&2
  echo "ci/build.sh: configure failed (log: build/configure.log)" >&2
  exit 1
fi
echo "[build] compiling with $jobs jobs (ccache: $(command -v ccache || echo none))"
start=$(date +%s)
cmake --build --preset release -j "$jobs"
echo "[build] done in $(( $(date +%s) - start )) s"
