#!/usr/bin/env bash
# posctl.sh: the positive control's golden (README.md here, "session 6, the positive control",
# pre-registered before any run): synth-micro-mech built into results/zoo-s6 by a copy of a clean
# build (results/bin-s6, its commit in COMMIT), then suites/positive-control.toml on golden seeds
# 1-12 into results/posctl.db, 2 cells at a time; resumable (`run --resume`). Waits for zoo-full's
# re-measure (zoofull_stack2.sh) to leave the cores first. The golden is written once, when all 60
# cells have finished; mutants and held-out controls come after it (not in this script).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$PWD/results/bin-s6/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s6
log=results/measure/s6/posctl.log
mkdir -p results/measure/s6
while pgrep -f zoofull_stack2.sh > /dev/null; do sleep 60; done
echo "[$(date -u +%H:%M:%S)] zoo build synth-micro-mech into $RLVRBENCH_ZOO" >> $log
$B zoo build --only synth-micro-mech --jobs 1 --quiet >> $log 2>&1
$B zoo inspect synth-micro-mech >> $log 2>&1
echo "[$(date -u +%H:%M:%S)] positive-control golden seeds 1-12" >> $log
$B run suites/positive-control.toml --seeds "$(seq -s, 1 12)" --jobs 2 --resume --no-compare --quiet --db "$PWD/results/posctl.db" >> $log 2>&1
echo "[$(date -u +%H:%M:%S)] done" >> $log
