#!/usr/bin/env bash
# ladder.sh: quick's mutant ladder (suites/quick.toml, expect = "traced": the clip range +0.05 /
# +0.1 / +0.3, lr x0.7 / x0.5 / x0.25, 10% / 30% / 100% of ground truth's rewards flipped) on the
# mutant seeds 36-40 (the controls of 36-45 are in the database already), judged by golden/quick.toml
# (statistic v3); resumable. Written before any rung was run: the rungs, the seeds and the golden
# are fixed here. Power table: results/measure/power-ladder-quick.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/app/rlvrbench}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
seeds=36,37,38,39,40
rungs="clip-range+0.05 clip-range+0.1 clip-range+0.3 lr-x0.7 lr-x0.5 lr-x0.25 reward-flip-10 reward-flip-30 reward-flip-100"
# The controls of seeds 39-40 (36-38 and the rest of 36-45 ran in the stack-2 measurement).
$B run suites/quick.toml --seeds "$seeds" --jobs 2 --resume --no-compare --quiet --db results/stack2-quick.db
for m in $rungs; do
  echo "[$(date -u +%H:%M:%S)] ladder: $m on seeds $seeds" >&2
  $B run suites/quick.toml --mutant "$m" --seeds "$seeds" --jobs 2 --resume --quiet --db results/stack2-quick.db
done
$B power suites/quick.toml --seeds "$seeds" --mutants "$(echo $rungs | tr ' ' ',')" --no-control --no-train \
  --db results/stack2-quick.db > results/measure/power-ladder-quick.txt || true
