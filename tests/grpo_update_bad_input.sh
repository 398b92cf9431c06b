#!/usr/bin/env bash
# tests/grpo_update_bad_input.sh GRPO_UPDATE MODEL_DIR SOURCE_DIR
# grpo_update's bad-input contract: malformed arguments and rollout files exit 2 with one line
# naming the file and field (tests/cli_expect.sh); a good rollout exits 0 and writes its steps.
set -u
bin=$1 model=$2 src=$3
d=$src/tests/data/grpo_update
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
expect() { bash "$src/tests/cli_expect.sh" "$@" || fails=$((fails + 1)); }
fails=0
expect 2 "--model, --rollout and --out are required" - -- "$bin" --model "$model"
expect 2 "--steps: must be a whole number >= 1" - -- "$bin" --model "$model" --rollout "$d/ok.json" --out "$out" --steps 0
expect 2 "--frob: unknown argument" - -- "$bin" --frob
expect 2 "nope/config.json" - -- "$bin" --model "$out/nope" --rollout "$d/ok.json" --out "$out"
expect 2 "truncated.json: not JSON" - -- "$bin" --model "$model" --rollout "$d/truncated.json" --out "$out"
expect 2 "bad_rewards.json: rewards\[1\]: needs one reward per completion \(2\)" - -- "$bin" --model "$model" --rollout "$d/bad_rewards.json" --out "$out"
expect 2 "empty_completion.json: completions\[0\]\[1\]: must be a non-empty array" - -- "$bin" --model "$model" --rollout "$d/empty_completion.json" --out "$out"
expect 2 "bad_token.json: completions\[1\]\[0\]: token id outside" - -- "$bin" --model "$model" --rollout "$d/bad_token.json" --out "$out"
expect 2 "ragged_groups.json: completions\[1\]: every prompt needs the same number of completions \(2\)" - -- "$bin" --model "$model" --rollout "$d/ragged_groups.json" --out "$out"
expect 2 "train.max_response_len is below the rollout's longest completion \(3\)" - -- "$bin" --model "$model" --rollout "$d/ok.json" --out "$out" --set train.max_response_len=2
expect 2 "train.nope" - -- "$bin" --model "$model" --rollout "$d/ok.json" --out "$out" --set train.nope=1
expect 0 '^$' - -- "$bin" --model "$model" --rollout "$d/ok.json" --out "$out/ok" --steps 2 --set train.lr=1e-3
[ -f "$out/ok/step-2/model.safetensors" ] || { echo "no step-2 weights"; fails=$((fails + 1)); }
echo "$fails failed"
[ $fails = 0 ]
