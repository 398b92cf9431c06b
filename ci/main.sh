#!/usr/bin/env bash
# ci/main.sh: set up, build, run the quick suite under ctest (zoo build, every cell, compare with
# golden/quick.toml), print the verdict table and where the database and the report are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh
export RLVRBENCH_DB="${RLVRBENCH_DB:-$PWD/results/rlvrbench.db}"
echo "[main] ctest -L quick (zoo build, cells, compare) -> $RLVRBENCH_DB"
start=$(date +%s)
status=0
ctest --test-dir build -L '^quick$' -j "$(nproc)" --output-on-failure || status=$?
echo "[main] quick suite done in $(( $(date +%s) - start )) s"
echo
build/app/rlvrbench compare --suite suites/quick.toml --golden golden/quick.toml || status=$?
build/app/rlvrbench report --db "$RLVRBENCH_DB" --out results/report-quick --suite suites/quick.toml --golden golden/quick.toml >/dev/null
echo
echo "database: $RLVRBENCH_DB   (rlvrbench query --db $RLVRBENCH_DB gains)"
echo "report:   $PWD/results/report-quick/index.html"
exit $status
