#!/usr/bin/env bash
# s8/mut37.sh: the positive control's 5 mutants on seed 37, so that each mutant is one run of 4
# seeds (34-37) as `power --group 4` needs (amendment of session 8, results/measure/README.md,
# written before any mutant or control result was read). Waits for s7/chain3.sh to leave the cores;
# resumable; its runs go into the same database (kept by s7/keep.sh's snapshot).
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=$PWD/results/bin-s7/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s7
DB=$PWD/results/posctl.db
log=results/measure/s8/mut37.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
while pgrep -f "bash results/measure/s7/chain3.sh" > /dev/null; do sleep 60; done
source results/measure/s7/keep.sh
keep_start "$DB" results/measure/db/posctl.db >> $log
[ -f "$RLVRBENCH_ZOO/synth-micro-mech/model.safetensors" ] || $B zoo build --only synth-micro-mech --jobs 1 --quiet >> $log 2>&1
for m in python-off clip-off one-update iso-off lr-div10; do
  say "mutant $m on 37"
  $B run suites/positive-control.toml --mutant "$m" --seeds 37 --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
done
say "done"
