#!/usr/bin/env bash
# ci/test.sh: set up a fresh Debian 12 or 13 machine, build, and run every test through ctest: unit
# and integration tests, CLI contracts, the headless-Chromium report test, a short fuzz run, and
# the smoke suite (micro zoo build, training cells, compare against golden/smoke.toml); then compile
# and link the CUDA configuration (ci/cuda_build.sh, against torch 2.14.1 + CUDA 13: nothing runs,
# there is no GPU, but a compile error in a CUDA-only branch fails the run). The quick suite
# (~13 min: 8 seeds, the main job: ci/main.sh) is left to `ctest -L quick`.
# This is the README's test command and what .ci/run calls. It ends with how the time split.
set -euo pipefail
cd "$(dirname "$0")/.."
split=()
phase() { local name=$1 t0; shift; t0=$(date +%s); "$@"; split+=("$name $(( $(date +%s) - t0 ))s"); }

phase setup bash ci/setup.sh
phase cpu-build bash ci/build.sh
export RLVRBENCH_DB="$PWD/build/test-results.db"   # the suites' database for this test run
rm -f "$RLVRBENCH_DB" "$RLVRBENCH_DB"-wal "$RLVRBENCH_DB"-shm
echo "[test] ctest (everything but the quick suite)"
phase ctest ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 900 -LE '^quick$'

echo "[test] the CUDA configuration: compile and link (ci/cuda_build.sh)"
phase cuda-build bash ci/cuda_build.sh

# libFuzzer on every parser (clang, ASan + UBSan), briefly: a crash, a sanitizer report, an exception
# other than InputError or a >2 s input fails CI. A campaign: bash ci/fuzz.sh --seconds 300.
echo "[test] fuzz: every target for ${RLVR_FUZZ_SECONDS:-4} s"
fuzz() { bash ci/fuzz.sh --seconds "${RLVR_FUZZ_SECONDS:-4}" || { echo "[test] fuzz: FAILED"; return 1; }; }
phase fuzz fuzz
echo "[test] fuzz: no finding"
echo "[test] time split: ${split[*]}"
