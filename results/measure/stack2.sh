#!/usr/bin/env bash
# stack2.sh [STAGE...]: re-measure the goldens on the PyTorch 2.x stack (its runs do not repeat the
# older stack's bits, so the goldens are measured afresh on it), as pre-registered in README.md
# here ("2026-12-07"): the micro zoo twice (byte-identical), smoke golden 1-5, quick golden 1-25,
# quick power (control 36-45, mutants 36-38), mechanism golden 4-13 and power (control 24-33,
# mutants 24-26). Stages (default all, in order): zoo smoke quick quick-power mechanism.
# Resumable (`run --resume`); REWRITES the goldens it reaches. Databases
# results/stack2-{smoke,quick,mechanism}.db (git-ignored), zoo results/zoo-stack2 (and
# results/zoo-check, the second build); log results/measure/stack2.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build/app/rlvrbench}
L=results/measure
stages=${*:-zoo smoke quick quick-power mechanism}
# A zoo folder of its own (CTest's zoo fixture writes results/zoo): the first of the two builds.
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
stage() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$L/stack2.log"; }
seeds() { seq -s, "$1" "$2"; }
QUICK_MUTANTS="clip-off one-update lr-div10 inverse-reward no-group-norm temperature-0.7 bug-ratio-current bug-clip-max"
MECH_MUTANTS="clip-off one-update lr-div10 inverse-reward temperature-0.7 bug-clip-max"
# mutants_power SUITE "MUTANTS" LO HI CONTROL_LO CONTROL_HI: each mutant on seeds LO-HI, then `power` with the
# control on CONTROL_LO-CONTROL_HI (already run), into $L/power-stack2-SUITE.txt.
mutants_power() {
  local suite=$1 mutants=$2 lo=$3 hi=$4 clo=$5 chi=$6 db=results/stack2-$1.db
  for m in $mutants; do
    stage "$suite: mutant $m on seeds $lo-$hi"
    $B run "suites/$suite.toml" --mutant "$m" --seeds "$(seeds "$lo" "$hi")" --jobs 2 --resume --quiet --db "$db" 2>> "$L/stack2.log"
  done
  $B power "suites/$suite.toml" --seeds "$(seeds "$lo" "$hi")" --control-seeds "$(seeds "$clo" "$chi")" --no-train --db "$db" \
    > "$L/power-stack2-$suite.txt" 2>> "$L/stack2.log" || true
  stage "$suite: power table in $L/power-stack2-$suite.txt"
}

for s in $stages; do
  case $s in
    zoo)
      for z in results/zoo-stack2 results/zoo-check; do
        stage "zoo: synth-micro into $z (from scratch)"
        rm -rf "$z"
        t0=$(date +%s)
        RLVRBENCH_ZOO=$z $B zoo build --only synth-micro --quiet >> "$L/stack2.log" 2>&1
        stage "zoo: $z in $(( $(date +%s) - t0 )) s: $(sha256sum "$z/synth-micro/model.safetensors" | cut -c1-16)"
      done
      cmp results/zoo-stack2/synth-micro/model.safetensors results/zoo-check/synth-micro/model.safetensors &&
        stage "zoo: the two builds are byte-identical" || { stage "zoo: the two builds DIFFER"; exit 1; } ;;
    smoke)
      stage "smoke: seeds 1-5"
      $B run suites/smoke.toml --seeds "$(seeds 1 5)" --jobs 2 --resume --no-compare --quiet --db results/stack2-smoke.db 2>> "$L/stack2.log"
      $B golden update --suite suites/smoke.toml --golden golden/smoke.toml --seeds "$(seeds 1 5)" --db results/stack2-smoke.db >> "$L/stack2.log" 2>&1
      stage "smoke: golden written" ;;
    quick)
      stage "quick: golden seeds 1-25"
      $B run suites/quick.toml --seeds "$(seeds 1 25)" --jobs 2 --resume --no-compare --quiet --db results/stack2-quick.db 2>> "$L/stack2.log"
      $B golden update --suite suites/quick.toml --golden golden/quick.toml --seeds "$(seeds 1 25)" --db results/stack2-quick.db >> "$L/stack2.log" 2>&1
      stage "quick: golden written" ;;
    quick-power)
      stage "quick: control seeds 36-45"
      $B run suites/quick.toml --seeds "$(seeds 36 45)" --jobs 2 --resume --no-compare --quiet --db results/stack2-quick.db 2>> "$L/stack2.log"
      mutants_power quick "$QUICK_MUTANTS" 36 38 36 45 ;;
    mechanism)
      stage "mechanism: golden seeds 4-13, control 24-33"
      $B run suites/mechanism.toml --seeds "$(seeds 4 13),$(seeds 24 33)" --jobs 2 --resume --no-compare --quiet --db results/stack2-mechanism.db 2>> "$L/stack2.log"
      $B golden update --suite suites/mechanism.toml --golden golden/mechanism.toml --seeds "$(seeds 4 13)" --db results/stack2-mechanism.db >> "$L/stack2.log" 2>&1
      mutants_power mechanism "$MECH_MUTANTS" 24 26 24 33 ;;
    *) echo "stack2.sh: unknown stage '$s'" >&2; exit 2 ;;
  esac
done
stage "done: $stages"
