#!/usr/bin/env bash
# trl_power.sh: quick-trl's power as pre-registered (README.md here, "TRL as a peer"): its 5 mutants
# on seeds 36-38, then the control seeds 100-109 seed by seed, by the same runner worktree and binary
# as trl.sh; resumable. Judged afterwards, once, by `power --no-train` on the seeds complete then.
set -euo pipefail
cd "$(dirname "$0")/../.."
source results/measure/trl_env.sh
JOBS=${JOBS:-2}
for m in clip-off one-update lr-div10 inverse-reward no-reward-scaling; do
  echo "[$(date -u +%H:%M:%S)] quick-trl mutant $m on 36-38" >> $log
  $B run "$SRC/suites/quick-trl.toml" --mutant "$m" --seeds 36,37,38 --jobs "$JOBS" --resume --quiet --db "$DB" 2>> $log
done
for s in $(seq 100 109); do
  echo "[$(date -u +%H:%M:%S)] quick-trl control seed $s" >> $log
  $B run "$SRC/suites/quick-trl.toml" --seeds $s --jobs "$JOBS" --resume --no-compare --quiet --db "$DB" 2>> $log
done
echo "[$(date -u +%H:%M:%S)] power runs done" >> $log
