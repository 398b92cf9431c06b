#!/usr/bin/env bash
# s7/chain.sh: session 7's measurement queue, resumable across sessions. Session 6's databases, zoo
# and binaries were git-ignored and did not outlive it (23 finished golden cells lost), so from now
# on the working database is copied, consistent (sqlite .backup), into a TRACKED file every 10
# minutes (results/measure/db/posctl.db, s7/keep.sh; committed with the session's commits) and
# restored from it when the working copy is missing. Order, as queued in session 6 (README.md here):
#   1. synth-micro-mech built into results/zoo-s7 and inspected (its sha256 must be session 6's);
#   2. the positive control's golden cells, seeds 1-12 (72 cells), then `golden update` once;
#   3. its mutants on seeds 34-36 and held-out control seeds 100-111 (judged once, later).
# By results/bin-s7 (a copy of a clean build; its commit in results/bin-s7/COMMIT).
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=$PWD/results/bin-s7/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s7
DB=$PWD/results/posctl.db
log=results/measure/s7/chain.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
source results/measure/s7/keep.sh   # the database kept in a tracked snapshot, restored from it
keep_start "$DB" results/measure/db/posctl.db >> $log
if [ ! -f "$RLVRBENCH_ZOO/synth-micro-mech/model.safetensors" ]; then
  say "1. zoo build synth-micro-mech"
  $B zoo build --only synth-micro-mech --jobs 1 --quiet >> $log 2>&1
  $B zoo inspect synth-micro-mech >> $log 2>&1
  say "1. sha256 $(sha256sum "$RLVRBENCH_ZOO/synth-micro-mech/model.safetensors" | cut -c1-16) (session 6: 1247e073...)"
fi
say "2. positive-control golden cells, seeds 1-12"
$B run suites/positive-control.toml --seeds "$(seq -s, 1 12)" --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
if [ ! -f golden/positive-control.toml ]; then
  say "2. golden update (seeds 1-12)"
  $B golden update --suite suites/positive-control.toml --golden golden/positive-control.toml --seeds "$(seq -s, 1 12)" \
    --db "$DB" >> $log 2>&1
fi
say "3. positive-control mutants on 34-36"
for m in python-off clip-off one-update iso-off lr-div10; do
  $B run suites/positive-control.toml --mutant "$m" --seeds 34,35,36 --jobs 2 --resume --quiet --db "$DB" >> $log 2>&1
done
say "3. positive-control held-out control seeds 100-111"
$B run suites/positive-control.toml --seeds "$(seq -s, 100 111)" --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
say "done"
