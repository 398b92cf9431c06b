#!/usr/bin/env bash
# s7/chain3.sh: the positive control's power runs, after its golden (golden/positive-control.toml)
# and after s7/chain2.sh (mechanism's power, the regime map). Pre-registered in session 6
# (README.md here, "the positive control": mutants on seeds 34-36, held-out control seeds 100-111
# as 3 runs of 4) and session 7 (run with --no-compare: nothing is judged until all have finished,
# then once by `power suites/positive-control.toml --seeds 34-36 --control-seeds 100-111 --group 4
# --no-train`). Resumable across sessions: the database is kept in results/measure/db/posctl.db.
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=$PWD/results/bin-s7/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s7
DB=$PWD/results/posctl.db
log=results/measure/s7/chain3.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
source results/measure/s7/keep.sh
keep_start "$DB" results/measure/db/posctl.db >> $log
[ -s golden/positive-control.toml ] || { say "no golden/positive-control.toml: nothing to do"; exit 2; }
while pgrep -f "bash results/measure/s7/chain2.sh" > /dev/null; do sleep 60; done
[ -f "$RLVRBENCH_ZOO/synth-micro-mech/model.safetensors" ] || $B zoo build --only synth-micro-mech --jobs 1 --quiet >> $log 2>&1
for m in python-off clip-off one-update iso-off lr-div10; do
  say "mutant $m on 34-36"
  $B run suites/positive-control.toml --mutant "$m" --seeds 34,35,36 --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
done
say "held-out control seeds 100-111"
$B run suites/positive-control.toml --seeds "$(seq -s, 100 111)" --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
say "done"
