#!/usr/bin/env bash
# mechanism.sh: measure golden/mechanism.toml and the mechanism suite's power from scratch, two
# cells at a time (`rlvrbench run --jobs 2`), and REWRITE the golden. Seeds: golden 4-13 (seeds
# 1-3 of these four cells are the regime map's, bit-identical, so the golden leaves them to the
# map and the nightly seed 1 is a fresh seed to it), control 14-23, mutants on 14-16 (fresh).
# Resumable (`run --resume`): a rerun after a crash picks up where it stopped. Writes
# results/mechanism-measure.db (git-ignored) and logs to results/measure/mechanism.log.
# B=PATH picks the rlvrbench binary (default build/app/rlvrbench); the zoo must be built by the
# same build (`rlvrbench zoo build --only synth-micro`).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/app/rlvrbench}
L=results/measure
DB=${DB:-results/mechanism-measure.db}
GOLDEN_SEEDS=4,5,6,7,8,9,10,11,12,13
CONTROL_SEEDS=14,15,16,17,18,19,20,21,22,23
MUTANT_SEEDS=14,15,16
stage() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$L/mechanism.log"; }

stage "mechanism: golden seeds $GOLDEN_SEEDS and control seeds $CONTROL_SEEDS"
$B run suites/mechanism.toml --seeds "$GOLDEN_SEEDS,$CONTROL_SEEDS" --jobs 2 --resume --no-compare --quiet --db "$DB" 2>> "$L/mechanism.log"
stage "mechanism: golden update"
$B golden update --suite suites/mechanism.toml --golden golden/mechanism.toml --seeds "$GOLDEN_SEEDS" --db "$DB" >> "$L/mechanism.log" 2>&1
for m in clip-off one-update lr-div10 inverse-reward temperature-0.7 bug-clip-max; do
  stage "mechanism: mutant $m on seeds $MUTANT_SEEDS"
  $B run suites/mechanism.toml --mutant "$m" --seeds "$MUTANT_SEEDS" --jobs 2 --resume --quiet --db "$DB" 2>> "$L/mechanism.log"
done
stage "mechanism: power"
$B power suites/mechanism.toml --seeds "$MUTANT_SEEDS" --control-seeds "$CONTROL_SEEDS" --no-train --db "$DB" \
  > "$L/power-mechanism.txt" 2>> "$L/mechanism.log" || true
stage "done"
