#!/usr/bin/env bash
# trl.sh: the TRL goldens (README.md here, "TRL as a peer"): smoke-trl on seeds 1-5, then quick-trl
# on seeds 1-10, seed by seed, each cell trained by tools/trl_runner.py from a worktree of a clean
# commit (/work/trl-src: RLVRBENCH_DATA points the runner's {source} there) and stored by a copy of a
# clean build (results/bin-trl); resumable (`run --resume`). Log results/heldout/trl.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
source results/measure/trl_env.sh
JOBS=${JOBS:-1}
for s in 1 2 3 4 5; do
  echo "[$(date -u +%H:%M:%S)] smoke-trl seed $s" >> $log
  $B run "$SRC/suites/smoke-trl.toml" --seeds $s --jobs "$JOBS" --resume --no-compare --quiet --db "$DB" 2>> $log
done
for s in 1 2 3 4 5 6 7 8 9 10; do
  echo "[$(date -u +%H:%M:%S)] quick-trl seed $s" >> $log
  $B run "$SRC/suites/quick-trl.toml" --seeds $s --jobs "$JOBS" --resume --no-compare --quiet --db "$DB" 2>> $log
done
echo "[$(date -u +%H:%M:%S)] done" >> $log
