#!/usr/bin/env bash
# science8_judge.sh: judges session 5's pre-registered measurements once (README.md here,
# "session 5"), after science8.sh: every mutant and ladder rung as one run of 8 mutant seeds
# (36-43, power --group 8), the held-out control as 7 runs of 8 (100-155), by the current build.
# Writes power-science8-quick.{txt,json}; then confirm_power.py (the sequential confirmation).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-$PWD/build/app/rlvrbench}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
DB=results/stack2-quick.db
seeds=$(seq -s, 36 43); control=$(seq -s, 100 155)
for fmt in table json; do
  ext=$([ $fmt = table ] && echo txt || echo json)
  $B power suites/quick.toml --seeds "$seeds" --control-seeds "$control" --group 8 --no-train --quiet --format $fmt \
    --db "$DB" > results/measure/power-science8-quick.$ext || true
done
python3 results/measure/confirm_power.py "$B" "$DB" > results/measure/power-confirm-quick.txt
