#!/usr/bin/env bash
# fake_trainer.sh CONFIG.toml SEED OUT.jsonl: stands in for another framework's training script in
# tests (suites' `runner`, runner/external_run.h). It checks it was handed the cell's run config, then
# "trains" by writing a known run file (fake_verl_run.jsonl, its seed filled in) to OUT.
# FAKE_TRAINER_FAIL=1: exit 3 without output; FAKE_TRAINER_BADKEY=1: exit 2 (a key it cannot express); FAKE_TRAINER_BAD=1: write a run file missing a field.
set -euo pipefail
config=$1 seed=$2 out=$3
grep -q '^\[train\]' "$config" || { echo "fake_trainer.sh: $config is not a run config" >&2; exit 2; }
grep -q "^seed = $seed\$" "$config" || { echo "fake_trainer.sh: $config is not for seed $seed" >&2; exit 2; }
echo "fake_trainer.sh: training seed $seed with $config (pretending)"
[ "${FAKE_TRAINER_BADKEY:-0}" = 1 ] && { echo "fake_trainer.sh: $config: train.bug = 'clip-max': the trainer cannot express it" >&2; exit 2; }
[ "${FAKE_TRAINER_FAIL:-0}" = 1 ] && { echo "fake_trainer.sh: CUDA out of memory (pretending)" >&2; exit 3; }
sed "s/@SEED@/$seed/" "$(dirname "$0")/fake_verl_run.jsonl" > "$out"
if [ "${FAKE_TRAINER_BAD:-0}" = 1 ]; then sed -i '5s/"correct": [a-z]*, //' "$out"; fi
