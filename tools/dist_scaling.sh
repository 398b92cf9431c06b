#!/usr/bin/env bash
# dist_scaling.sh RLVRBENCH MODEL_DIR [STEPS]: step time and tokens/s of one GRPO cell at world size
# 1 (1 and 2 threads) and 2 (`train --nproc 2`, 1 thread a rank), and the share of the step spent in
# collectives (comm_seconds: the rollout all-gather and the gradient/metric all-reduces). The cell
# is zoo-full's shape: 16 prompts x 8 samples, 128-token responses, 4 updates a rollout. Prints a
# Markdown table (means over steps 2..STEPS; step 1 warms the allocator up).
#   tools/dist_scaling.sh build/app/rlvrbench results/zoo/synth-qwen-math-7b 6
set -euo pipefail
usage() { echo "usage: dist_scaling.sh RLVRBENCH MODEL_DIR [STEPS]" >&2; exit 2; }
[ $# -ge 2 ] || usage
W=$(realpath "$1") M=$(realpath "$2") STEPS=${3:-6}
[ -x "$W" ] || { echo "dist_scaling.sh: $W: not an executable" >&2; exit 2; }
[ -f "$M/config.json" ] || { echo "dist_scaling.sh: $M: no config.json (not a model folder)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -256 "$M/train.jsonl" > "$tmp/train.jsonl"
head -8 "$M/eval.jsonl" > "$tmp/eval.jsonl"
cat > "$tmp/run.toml" <<TOML
[run]
name = "dist-scaling"
seed = 1
[model]
path = "$M"
[data]
train = "train.jsonl"
eval = "eval.jsonl"
[reward]
name = "math"
[train]
steps = $STEPS
prompts_per_rollout = 16
samples_per_prompt = 8
updates_per_rollout = 4
lr = 1e-4
max_response_len = 128
[eval]
every = 0
max_new_tokens = 16
TOML
mean() {  # mean of step metric $2 over steps 2.. in database $1
  sqlite3 "$1" "select coalesce(avg(value), 0) from step_metrics where key = '$2' and step >= 2"
}
row() {  # label db
  local db=$1 label=$2
  local st rt tt cs ar
  st=$(mean "$db" step_seconds) rt=$(mean "$db" rollout_tokens_per_s) tt=$(mean "$db" train_tokens_per_s)
  cs=$(mean "$db" comm_seconds) ar=$(mean "$db" allreduce_seconds)
  awk -v l="$label" -v st="$st" -v rt="$rt" -v tt="$tt" -v cs="$cs" -v ar="$ar" -v base="${BASE:-$st}" 'BEGIN {
    printf "| %s | %.2f | %.2fx | %.0f | %.0f | %.1f%% | %.1f%% |\n", l, st, base / st, rt, tt, 100 * cs / st, 100 * ar / st }'
}
cd "$tmp"
echo "dist_scaling: $(basename "$M"), $STEPS steps each, 3 configurations" >&2
"$W" train run.toml --db one1.db --quiet --set run.threads=1 > /dev/null
"$W" train run.toml --db one2.db --quiet --set run.threads=2 > /dev/null
"$W" train run.toml --db two.db --quiet --set run.threads=1 --nproc 2 > /dev/null
echo "| configuration | step s | speed-up | rollout tok/s | train tok/s | collectives | of it all-reduce |"
echo "|---|---|---|---|---|---|---|"
BASE=$(mean one1.db step_seconds)
export BASE
row one1.db "1 rank, 1 thread"
row one2.db "1 rank, 2 threads"
row two.db "2 ranks, 1 thread each"
echo
echo "model $(basename "$M"); rollout tok/s counts sampled tokens, train tok/s prompt + response tokens through forward and backward (summed over ranks); collectives: share of the step time"
