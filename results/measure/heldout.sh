#!/usr/bin/env bash
# heldout.sh: quick's 60 held-out control seeds (100-159), run once by the golden's binary, as
# pre-registered in README.md here ("session 3"). Seed by seed (every cell of a seed, then the
# next), so a measurement stopped early leaves whole seeds to judge; resumable (`run --resume`).
# The suite is a copy of suites/quick.toml taken before the first run (results/heldout/quick.toml,
# git-ignored) so that edits of the suite during the run cannot reach it. Log
# results/heldout/heldout.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-results/bin-stack2/rlvrbench}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
mkdir -p results/heldout
[ -f results/heldout/quick.toml ] || cp suites/quick.toml results/heldout/quick.toml
for s in $(seq 100 159); do
  echo "[$(date -u +%H:%M:%S)] held-out control seed $s" >> results/heldout/heldout.log
  $B run results/heldout/quick.toml --seeds "$s" --jobs 2 --resume --no-compare --quiet \
    --db results/stack2-quick.db 2>> results/heldout/heldout.log
done
echo "[$(date -u +%H:%M:%S)] done" >> results/heldout/heldout.log
