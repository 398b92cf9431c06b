#!/usr/bin/env bash
# heldout_judge.sh: judges quick's held-out control seeds once (README.md here, "session 3"): the
# seeds of 100-159 whose 5 cells all finished, with the mutants on seeds 36-38, by golden/quick.toml
# (statistic v3). Writes power-heldout-quick.{txt,json} here and regenerates the README's quick
# tables (tools/readme_results.py). Run from a clean build of the committed tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/app/rlvrbench}
DB=results/stack2-quick.db
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
seeds=$(sqlite3 "$DB" "SELECT seed FROM runs WHERE suite = 'quick' AND mutant = '' AND seed BETWEEN 100 AND 159
  AND status = 'finished' GROUP BY seed HAVING COUNT(DISTINCT cell) = 5 ORDER BY seed" | paste -sd, -)
[ -n "$seeds" ] || { echo "heldout_judge: no complete held-out seed" >&2; exit 2; }
echo "held-out control seeds judged: $seeds ($(echo "$seeds" | tr ',' '\n' | wc -l) seeds)" >&2
$B power suites/quick.toml --seeds 36,37,38 --control-seeds "$seeds" --no-train --db "$DB" > results/measure/power-heldout-quick.txt || true
$B power suites/quick.toml --seeds 36,37,38 --control-seeds "$seeds" --no-train --db "$DB" --format json --quiet > results/measure/power-heldout-quick.json || true
python3 tools/readme_results.py --bin "$B" --db "$DB" --suite suites/quick.toml --golden golden/quick.toml \
  --golden-seeds "$(seq -s, 1 25)" --seeds 36,37,38 --control-seeds "$seeds"
