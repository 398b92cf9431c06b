#!/usr/bin/env bash
# remeasure.sh: re-measure golden/smoke.toml and golden/quick.toml (and the quick suite's power)
# from scratch with the current build, two cells at a time (`rlvrbench run --jobs 2`), and
# REWRITE both goldens. Run it on a fresh database (move results/quick-measure.db and
# results/smoke-measure.db away first) with the zoo built by the same build (`rlvrbench zoo build
# --only synth-micro`; CTest's zoo fixture does it). The kernels are the pinned ones
# (util/blas_core.h: OPENBLAS_CORETYPE=Haswell on AVX2 machines unless set). Runs of 2026-12-02:
# first with OPENBLAS_CORETYPE=Haswell set by hand (not adopted then, README.md here), then after
# the speed work of issue 14 (pinned Haswell, decode attention), which the goldens now hold.
# Resumable only by hand: `rlvrbench run` trains every listed cell again, so after a crash run the
# stages that did not finish (each is one line below). Writes results/smoke-measure.db and
# results/quick-measure.db (git-ignored) and logs to results/measure/.
# Seeds as before (results/measure/README.md): quick golden 1-5 and 11-20, control 6-10 and 21-25,
# mutants 6-8; smoke golden 1-5.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=build/app/rlvrbench
L=results/measure
SMOKE_DB=results/smoke-measure.db QUICK_DB=results/quick-measure.db
stage() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$L/remeasure.log"; }

stage "smoke: seeds 1-5"
$B run suites/smoke.toml --seeds 1,2,3,4,5 --jobs 2 --no-compare --quiet --db "$SMOKE_DB" 2>> "$L/smoke.log"
stage "smoke: golden update"
$B golden update --suite suites/smoke.toml --golden golden/smoke.toml --seeds 1,2,3,4,5 --db "$SMOKE_DB" >> "$L/smoke.log" 2>&1

stage "quick: golden and control seeds"
$B run suites/quick.toml --seeds 1,2,3,4,5,11,12,13,14,15,16,17,18,19,20,6,7,8,9,10,21,22,23,24,25 \
  --jobs 2 --no-compare --quiet --db "$QUICK_DB" 2>> "$L/quick.log"
for m in clip-off one-update lr-div10 inverse-reward no-group-norm temperature-0.7 bug-ratio-current bug-clip-max; do
  stage "quick: mutant $m on seeds 6-8"
  $B run suites/quick.toml --mutant "$m" --seeds 6,7,8 --jobs 2 --quiet --db "$QUICK_DB" 2>> "$L/quick.log"
done
stage "quick: golden update"
$B golden update --suite suites/quick.toml --golden golden/quick.toml \
  --seeds 1,2,3,4,5,11,12,13,14,15,16,17,18,19,20 --db "$QUICK_DB" >> "$L/quick.log" 2>&1
stage "quick: power"
$B power suites/quick.toml --seeds 6,7,8 --control-seeds 6,7,8,9,10,21,22,23,24,25 --no-train --db "$QUICK_DB" \
  > "$L/power-final.txt" 2>> "$L/quick.log" || true
stage "done"
