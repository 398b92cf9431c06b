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

# libFuzzer on answer extraction + grading (clang, sanitizers), briefly: a crash or a >1 s input fails CI.
echo "[test] fuzz: grader_fuzz for ${RLVR_FUZZ_SECONDS:-20} s"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DRLVR_BUILD_FUZZ=ON \
  -DRLVR_BUILD_TESTS=OFF -DRLVR_BUILD_BENCH=OFF -DRLVR_SUITES=OFF >/dev/null
cmake --build build-fuzz --target grader_fuzz -j "$(nproc)" >/dev/null
mkdir -p build-fuzz/corpus
fuzz_status=0
build-fuzz/fuzz/grader_fuzz -max_total_time="${RLVR_FUZZ_SECONDS:-20}" -timeout=1 -max_len=65536 -print_final_stats=1 \
  build-fuzz/corpus fuzz/corpus > build-fuzz/fuzz.log 2>&1 || fuzz_status=$?
grep -E "stat::number_of_executed_units|ERROR|SUMMARY" build-fuzz/fuzz.log || true
if [ "$fuzz_status" -ne 0 ]; then tail -40 build-fuzz/fuzz.log; echo "[test] fuzz: FAILED"; exit 1; fi
echo "[test] fuzz: no crash, no timeout"
