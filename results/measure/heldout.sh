#!/usr/bin/env bash
# heldout.sh: quick's 60 held-out control seeds (100-159), run once by the golden's binary, as
# pre-registered in README.md here ("session 3"). Resumable (`run --resume`); the suite is a copy of
# suites/quick.toml taken before the first run (results/heldout/quick.toml, git-ignored) so that
# edits of the suite during the run cannot reach it. Log results/heldout/heldout.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-results/bin-stack2/rlvrbench}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
mkdir -p results/heldout
[ -f results/heldout/quick.toml ] || cp suites/quick.toml results/heldout/quick.toml
echo "[$(date -u +%H:%M:%S)] held-out control seeds 100-159" >> results/heldout/heldout.log
$B run results/heldout/quick.toml --seeds "$(seq -s, 100 159)" --jobs 2 --resume --no-compare --quiet \
  --db results/stack2-quick.db 2>> results/heldout/heldout.log
echo "[$(date -u +%H:%M:%S)] done" >> results/heldout/heldout.log
