#!/usr/bin/env bash
# s6_chain.sh: session 6's measurements in order, each resumable, so that restarting this script in
# a later session (the machine's processes end with a session) picks up where it stopped:
#   1. the positive control's golden cells (posctl.sh: seeds 1-12), then its golden written once
#      (golden/positive-control.toml, `golden update --seeds 1-12`; committed by the next session);
#   2. the regime map on the PyTorch 2.x stack (issue 30: seeds 1-3, the design of 2026-12-02);
#   3. the positive control's mutants on seeds 34-36 and its held-out control seeds 100-111 (issue
#      34; judged once, later, by `power --group 4`).
# All by results/bin-s6 (clean 76d9888) on results/zoo-s6. Pre-registered: README.md here,
# "session 6". Log: results/measure/s6/chain.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$PWD/results/bin-s6/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s6
log=results/measure/s6/chain.log
mkdir -p results/measure/s6
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
# A posctl.sh started before this script: let it finish its cells first (never two on one database).
while pgrep -f "bash results/measure/posctl.sh" > /dev/null; do sleep 60; done
say "1. positive-control golden cells"
bash results/measure/posctl.sh
if [ ! -f golden/positive-control.toml ]; then
  say "1. golden update (seeds 1-12)"
  $B golden update --suite suites/positive-control.toml --golden golden/positive-control.toml --seeds "$(seq -s, 1 12)" \
    --db "$PWD/results/posctl.db" >> $log 2>&1
fi
say "2. regime map, seeds 1-3"
$B zoo build --only synth-micro --jobs 1 --quiet >> $log 2>&1
$B zoo build --only synth-micro-spread --jobs 1 --quiet >> $log 2>&1
$B run suites/regime-map.toml --seeds 1,2,3 --jobs 2 --resume --no-compare --quiet --db "$PWD/results/stack2-regime-map.db" >> $log 2>&1
say "3. positive-control mutants on 34-36"
for m in python-off clip-off one-update iso-off lr-div10; do
  $B run suites/positive-control.toml --mutant "$m" --seeds 34,35,36 --jobs 2 --resume --quiet --db "$PWD/results/posctl.db" >> $log 2>&1
done
say "3. positive-control held-out control seeds 100-111"
$B run suites/positive-control.toml --seeds "$(seq -s, 100 111)" --jobs 2 --resume --no-compare --quiet --db "$PWD/results/posctl.db" >> $log 2>&1
say "done"
