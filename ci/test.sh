#!/usr/bin/env bash
# ci/test.sh: set up a fresh Debian 12 machine, build, and run every test through ctest.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh
echo "[test] ctest"
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 900
