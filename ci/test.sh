#!/usr/bin/env bash
# ci/test.sh: set up a fresh Debian 12 machine, build, and run every test through ctest: unit and
# integration tests, CLI contracts, the headless-Chromium report test, a short fuzz run, and the
# smoke suite (micro zoo build, training cells, compare against golden/smoke.toml).
# The quick suite (~15 min, the main job: ci/main.sh) is left to `ctest -L quick`.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh
export RLVRBENCH_DB="$PWD/build/test-results.db"   # the suites' database for this test run
rm -f "$RLVRBENCH_DB" "$RLVRBENCH_DB"-wal "$RLVRBENCH_DB"-shm
echo "[test] ctest (everything but the quick suite)"
start=$(date +%s)
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 900 -LE '^quick$'
echo "[test] ctest done in $(( $(date +%s) - start )) s"

# libFuzzer on every parser (clang, ASan + UBSan), briefly: a crash, a sanitizer report, an exception
# other than InputError or a >2 s input fails CI. A campaign: bash ci/fuzz.sh --seconds 300.
echo "[test] fuzz: every target for ${RLVR_FUZZ_SECONDS:-4} s"
bash ci/fuzz.sh --seconds "${RLVR_FUZZ_SECONDS:-4}" || { echo "[test] fuzz: FAILED"; exit 1; }
echo "[test] fuzz: no finding"
