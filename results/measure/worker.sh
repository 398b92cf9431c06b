#!/usr/bin/env bash
# One measurement worker: runs its list of "run" argument sets one after another (resumable: a
# finished run is not redone by power later; run itself always trains, so the list is the plan).
cd /work/main
export RLVRBENCH_DB=/work/main/results/quick-measure.db
while read -r line; do
  [ -z "$line" ] && continue
  echo "=== $(date +%T) $line"
  build/app/rlvrbench run suites/quick.toml $line --quiet --no-compare
done
echo "=== $(date +%T) worker done"
