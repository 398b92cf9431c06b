#!/usr/bin/env bash
# zoofull_stack2.sh: issue 30's re-measure of golden/zoo-full.toml on the PyTorch 2.x stack
# (README.md here, "session 5, issue 30"): the full zoo built into results/zoo-s5 by a copy of a
# clean build (results/bin-s5, its commit in COMMIT), then zoo-full's 54 cells on seed 1 (the seed
# of the golden it replaces) into results/stack2-zoo-full.db; resumable (the zoo build is cached,
# `run --resume`). The golden is rewritten, and what moved reported, once every cell has finished.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$PWD/results/bin-s5/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s5
log=results/measure/s5/zoofull.log
mkdir -p results/measure/s5
echo "[$(date -u +%H:%M:%S)] zoo build (full) into $RLVRBENCH_ZOO" >> $log
$B zoo build --jobs 2 --quiet >> $log 2>&1
echo "[$(date -u +%H:%M:%S)] zoo-full seed 1" >> $log
$B run suites/zoo-full.toml --jobs 2 --resume --no-compare --quiet --db "$PWD/results/stack2-zoo-full.db" >> $log 2>&1
echo "[$(date -u +%H:%M:%S)] done" >> $log
