#!/usr/bin/env bash
# One measurement worker of the quick golden and power measurement (README.md in this folder):
# reads lines of `rlvrbench run` arguments on stdin and runs them one after another into
# results/quick-measure.db. Two workers side by side use the two cores.
#   results/measure/worker.sh < results/measure/planA.txt > results/measure/A.log 2>&1 &
cd "$(dirname "$0")/../.."
export RLVRBENCH_DB="$PWD/results/quick-measure.db"
while read -r line; do
  [ -z "$line" ] && continue
  echo "=== $(date +%T) $line"
  build/app/rlvrbench run suites/quick.toml $line --quiet --no-compare
done
echo "=== $(date +%T) worker done"
