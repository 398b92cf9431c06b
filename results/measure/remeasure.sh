#!/usr/bin/env bash
# remeasure.sh: re-measure golden/smoke.toml and golden/quick.toml (and the quick suite's power)
# from scratch with the current build, two cells at a time (`rlvrbench run --jobs 2`), and
# REWRITE both goldens. Run it on a fresh database (move results/quick-measure.db and
# results/smoke-measure.db away first) with the zoo built by the same build (`rlvrbench zoo build
# --only synth-micro`; CTest's zoo fixture does it). The kernels are the pinned ones
# (then util/blas_core.h: OPENBLAS_CORETYPE=Haswell on AVX2 machines unless set; superseded by stack2.sh). Runs of 2026-12-02:
# first with OPENBLAS_CORETYPE=Haswell set by hand (not adopted then, README.md here), then after
# the speed work (pinned Haswell, decode attention), which the goldens now hold.
# Resumable: `run --resume` skips the cells already finished with the same config, so a rerun of
# this script after a crash picks up where it stopped (the golden updates are cheap and redone). Writes results/smoke-measure.db and
# results/quick-measure.db (git-ignored) and logs to results/measure/.
# Seeds (results/measure/README.md): quick golden 1-25, control 26-35 (fresh), mutants 26-28
# (fresh); smoke golden 1-5. (Until 2026-12-02 the quick golden had 15 seeds, 1-5 and 11-20, with
# control 6-10 and 21-25: its seed spreads were too narrow, see README.md here.)
set -euo pipefail
cd "$(dirname "$0")/../.."
B=build/app/rlvrbench
L=results/measure
SMOKE_DB=results/smoke-measure.db QUICK_DB=results/quick-measure.db
stage() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$L/remeasure.log"; }

if [ -z "${SKIP_SMOKE:-}" ]; then  # SKIP_SMOKE=1: the quick part only
  stage "smoke: seeds 1-5"
  $B run suites/smoke.toml --seeds 1,2,3,4,5 --jobs 2 --resume --no-compare --quiet --db "$SMOKE_DB" 2>> "$L/smoke.log"
  stage "smoke: golden update"
  $B golden update --suite suites/smoke.toml --golden golden/smoke.toml --seeds 1,2,3,4,5 --db "$SMOKE_DB" >> "$L/smoke.log" 2>&1
fi

stage "quick: golden and control seeds"
$B run suites/quick.toml --seeds 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35 \
  --jobs 2 --resume --no-compare --quiet --db "$QUICK_DB" 2>> "$L/quick.log"
for m in clip-off one-update lr-div10 inverse-reward no-group-norm temperature-0.7 bug-ratio-current bug-clip-max; do
  stage "quick: mutant $m on seeds 26-28"
  $B run suites/quick.toml --mutant "$m" --seeds 26,27,28 --jobs 2 --resume --quiet --db "$QUICK_DB" 2>> "$L/quick.log"
done
stage "quick: golden update"
$B golden update --suite suites/quick.toml --golden golden/quick.toml \
  --seeds 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25 --db "$QUICK_DB" >> "$L/quick.log" 2>&1
stage "quick: power"
$B power suites/quick.toml --seeds 26,27,28 --control-seeds 26,27,28,29,30,31,32,33,34,35 --no-train --db "$QUICK_DB" \
  > "$L/power-final.txt" 2>> "$L/quick.log" || true
stage "done"
