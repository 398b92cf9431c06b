#!/usr/bin/env bash
# tests/hf_zoo_export.sh RLVRBENCH PARITY_TEST PYTHON SOURCE_DIR WORK_DIR [TRAINED_MEMBER_DIR...]
# Every zoo member, exported by `rlvrbench zoo build` (model_save, the code path of the real zoo),
# loads in HF transformers and computes what transformers computes (tools/make_hf_fixtures.py
# --check-dir --parity-test): no missing or unexpected tensors, the tokenizer.json gives HF
# tokenizers the same ids, `rlvrbench logits` of a 54-token text within 1e-5 of the logit scale, and
# PARITY_TEST (build/models/model_hf_parity_test, the checks of the random-weight models of
# hf/model_parity_cpu_float32) on each member: logits over 2 rows of a few hundred tokens (320, or the
# member's max positions) in one pass and through the KV cache within 1e-5 of the logit scale,
# log-probs of given completions within 2e-5 of it, 64-token greedy generations identical. The specs
# of models/zoo and models/zoo-controls are built with their shapes, families, tokenizers and data as
# written but 2 pretraining steps and 1 fine-tuning step (the export is what is checked, not the
# training: seconds instead of the zoo's hours). Trained members given after WORK_DIR (e.g. the micro
# zoo's synth-micro) are checked too.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 RLVRBENCH PARITY_TEST PYTHON SOURCE_DIR WORK_DIR [TRAINED_MEMBER_DIR...]" >&2; exit 2; }
bin=$1 parity=$2 py=$3 src=$4 work=$5; shift 5
rm -rf "$work"; mkdir -p "$work/specs"
for f in "$src"/models/zoo/*.toml "$src"/models/zoo-controls/*.toml; do
  sed -E 's/^base_steps = .*/base_steps = 2/; s/^tune_steps = .*/tune_steps = 1/; s/^batch = .*/batch = 4/' "$f" > "$work/specs/$(basename "$f")"
done
n=$(ls "$work"/specs/*.toml | wc -l)
OMP_NUM_THREADS=1 "$bin" zoo build --specs "$work/specs" --out "$work/zoo" --jobs 1 --quiet
members=()
for f in "$work"/specs/*.toml; do members+=("$work/zoo/$(basename "$f" .toml)"); done
echo "zoo: $n specs built into $work/zoo"
OMP_NUM_THREADS=1 "$py" "$src/tools/make_hf_fixtures.py" --check-dir "${members[@]}" "$@" --rlvrbench "$bin" \
  --parity-test "$parity" --parity-out "$work/parity" \
  --text 'Q: What is 3 + 4 * 2? Show your steps. A: 4 * 2 = 8, 3 + 8 = 11, so \boxed{11}.'
