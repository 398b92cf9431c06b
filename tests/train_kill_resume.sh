#!/usr/bin/env bash
# train_kill_resume.sh RLVRBENCH MODEL_FIXTURE SOURCE_DIR
# SIGKILLs `rlvrbench train` once it has checkpointed step 3, resumes it with --resume, and checks
# that the final weights are byte-identical to an uninterrupted run and that the killed run was
# never recorded as finished before it was resumed.
set -euo pipefail
W=$1 FIX=$2 SRC=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$W" world tokenizer --spec "$SRC/models/zoo/synth-micro.toml" --out tok >/dev/null
"$FIX" model ok tok
"$W" world export --split train --n 64 --out train.jsonl
"$W" world export --split eval --n 8 --out eval.jsonl
cat > run.toml <<TOML
[run]
name = "killme"
seed = 4
threads = 1
checkpoint_every = 1
[model]
path = "model"
[data]
train = "train.jsonl"
eval = "eval.jsonl"
[reward]
name = "random0.5"
[train]
steps = 12
prompts_per_rollout = 4
samples_per_prompt = 4
train_batch = 8
lr = 1e-3
max_response_len = 24
[eval]
every = 4
max_new_tokens = 16
TOML
"$W" train run.toml --db full.db --quiet --set run.checkpoint_dir=ck_full >/dev/null

"$W" train run.toml --db part.db --quiet --set run.checkpoint_dir=ck_part >/dev/null &
pid=$!
for _ in $(seq 1 2000); do
  if [ -f ck_part/state.json ] && grep -q '"step": [3-9]' ck_part/state.json; then break; fi
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null || { echo "the run ended before it could be killed"; exit 1; }
wait "$pid" 2>/dev/null || true
step=$(sed -n 's/.*"step": \([0-9]*\).*/\1/p' ck_part/state.json)
status=$(sqlite3 part.db "select status from runs where id = 1")
echo "killed at checkpoint step $step; status before resume: $status"
[ "$status" = running ] || [ "$status" = killed ] || { echo "a killed run was recorded as $status"; exit 1; }
"$W" train run.toml --db part.db --quiet --resume --set run.checkpoint_dir=ck_part >/dev/null
[ "$(sqlite3 part.db "select status from runs where id = 1")" = finished ] || { echo "resumed run did not finish"; exit 1; }
cmp ck_full/step-000012/model.safetensors ck_part/step-000012/model.safetensors || { echo "weights differ after --resume"; exit 1; }
a=$(sqlite3 full.db "select group_concat(key || step || '=' || value, ';') from (select * from step_metrics where key not glob '*_per_s' and key not glob '*_seconds' order by key, step)")
b=$(sqlite3 part.db "select group_concat(key || step || '=' || value, ';') from (select * from step_metrics where key not glob '*_per_s' and key not glob '*_seconds' order by key, step)")
[ "$a" = "$b" ] || { echo "step metrics differ after --resume"; exit 1; }
echo "ok: final weights and metrics identical after SIGKILL at step $step and --resume"
