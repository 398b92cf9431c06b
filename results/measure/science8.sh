#!/usr/bin/env bash
# science8.sh: session 5's pre-registered runs (README.md here, "session 5"): the ladder's 9 rungs
# on seeds 41-43 and the 8 main mutants on 39-40, so that every mutant has seeds 36-43 (one run of
# 8, `power --group 8`). By results/bin-ladder, the binary of the ladder's 36-40 and of the main
# mutants' 41-43, from the suite file as of 9a776aa (which that binary reads; the training keys
# are the same today). One cell at a time; resumable. Log: results/measure/s5/science8.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
DB=$PWD/results/stack2-quick.db
B=$PWD/results/bin-ladder/rlvrbench
S=results/measure/s5/quick.toml   # named quick.toml: the suite's name is its file's stem
git show 9a776aa:suites/quick.toml > "$S"
log=results/measure/s5/science8.log
rungs="clip-range+0.05 clip-range+0.1 clip-range+0.3 lr-x0.7 lr-x0.5 lr-x0.25 reward-flip-10 reward-flip-30 reward-flip-100"
for m in $rungs; do
  echo "[$(date -u +%H:%M:%S)] rung $m on 41-43" >> $log
  $B run "$S" --mutant "$m" --seeds 41,42,43 --jobs 1 --resume --no-compare --quiet --db "$DB" 2>> $log
done
for m in clip-off one-update lr-div10 inverse-reward no-group-norm temperature-0.7 bug-ratio-current bug-clip-max; do
  echo "[$(date -u +%H:%M:%S)] mutant $m on 39-40" >> $log
  $B run "$S" --mutant "$m" --seeds 39,40 --jobs 1 --resume --no-compare --quiet --db "$DB" 2>> $log
done
echo "[$(date -u +%H:%M:%S)] done" >> $log
