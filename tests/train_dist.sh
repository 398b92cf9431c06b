#!/usr/bin/env bash
# train_dist.sh RLVRBENCH SOURCE_DIR ZOO: data-parallel training over c10d/Gloo (rl/dist.h), on the
# micro zoo's model with 2 local ranks (`train --nproc 2`):
#   1. world size 2 vs 1 after 5 steps: weights and step metrics equal within float summation order
#      (the measured max relative differences are printed);
#   2. world size 2 twice: byte-identical weights and identical metrics;
#   3. a rank SIGKILLed mid-run: the others fail at once, the run is marked failed with its step;
#   4. a rank that hangs (SIGSTOP): rank 0 fails after train.dist_timeout_s, the launcher ends it;
#   5. a world-size-2 run stopped by SIGTERM resumes with world size 1 and finishes;
#   6. bad input: a world size that does not divide the rollout, ranks that disagree on
#      WORLD_SIZE, a port in use, an unavailable backend: exit 2 with one line.
set -euo pipefail
W=$1 SRC=$2 ZOO=$3
M="$ZOO/synth-micro"
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$tmp"
head -64 "$M/train.jsonl" > train.jsonl
head -8 "$M/eval.jsonl" > eval.jsonl
cat > run.toml <<TOML
[run]
name = "dist"
seed = 4
threads = 1
[model]
path = "$M"
[data]
train = "train.jsonl"
eval = "eval.jsonl"
[reward]
name = "math"
[train]
steps = 5
prompts_per_rollout = 4
samples_per_prompt = 4
train_batch = 8
lr = 1e-4
max_response_len = 48
[eval]
every = 5
max_new_tokens = 48
TOML
metrics() { sqlite3 "$1" "select key || ' ' || step || ' ' || value from step_metrics where key not glob '*_per_s' and key not glob '*_seconds' order by key, step"; }
rank_pid() {  # the pid of rank $2 among the processes whose command line holds $1
  for p in $(pgrep -f -- "$1"); do tr '\0' '\n' < /proc/$p/environ 2>/dev/null | grep -qx "RANK=$2" && { echo $p; return; }; done
}

echo "== 1, 2: world size 1 vs 2, and 2 twice"
"$W" train run.toml --db one.db --quiet --set run.checkpoint_dir=ck1 > /dev/null
"$W" train run.toml --db two.db --quiet --nproc 2 --set run.checkpoint_dir=ck2 > /dev/null
"$W" train run.toml --db two_again.db --quiet --nproc 2 --set run.checkpoint_dir=ck2b > /dev/null
[ "$(sqlite3 two.db "select value from params where key = 'dist.world_size'")" = 2 ] || { echo "world size not recorded"; exit 1; }
sqlite3 two.db "select device from runs" | grep -q "x 2 ranks (gloo)" || { echo "device does not name the ranks"; exit 1; }
cmp ck2/step-000005/model.safetensors ck2b/step-000005/model.safetensors || { echo "world size 2 is not deterministic"; exit 1; }
[ "$(metrics two.db)" = "$(metrics two_again.db)" ] || { echo "world size 2 reruns log different metrics"; exit 1; }
w=$(python3 "$SRC/tools/safetensors_diff.py" ck1/step-000005/model.safetensors ck2/step-000005/model.safetensors)
m=$(paste -d' ' <(metrics one.db) <(metrics two.db) | awk '{ d = $3 - $6; if (d < 0) d = -d; s = $3 < 0 ? -$3 : $3; if (s < 1e-6) s = 1e-6;
      if ($1 != $4 || $2 != $5) { print "rows differ"; exit } if (d / s > r) { r = d / s; k = $1 } } END { printf "%.3g (%s)", r, k }')
echo "world 2 vs 1 after 5 steps: weights $w; step metrics max relative difference $m"
echo "$w" | awk '{ exit !($8 < 1e-3) }' || { echo "world size 2 drifted from world size 1"; exit 1; }
echo "$m" | awk '{ exit !($1 < 1e-3) }' || { echo "step metrics of world size 2 drifted from world size 1"; exit 1; }
for k in 0 5; do
  a=$(sqlite3 one.db "select group_concat(correct, '') from (select correct from eval_items where step = $k order by problem_id)")
  b=$(sqlite3 two.db "select group_concat(correct, '') from (select correct from eval_items where step = $k order by problem_id)")
  [ "$a" = "$b" ] || { echo "evaluation at step $k differs between world sizes"; exit 1; }
done

echo "== 3: a rank SIGKILLed mid-run"
set +e
"$W" train run.toml --db kill.db --quiet --nproc 2 --set train.steps=2000 --set eval.every=0 > kill.out 2> kill.err &
launcher=$!
for _ in $(seq 1 200); do [ "$(sqlite3 kill.db "select count(*) from step_metrics" 2>/dev/null)" -gt 20 ] 2>/dev/null && break; sleep 0.05; done
r1=$(rank_pid kill.db 1)
t0=$(date +%s%N); kill -9 "$r1"; wait "$launcher"; rc=$?; t1=$(date +%s%N)
set -e
cat kill.err
[ "$rc" = 4 ] || { echo "launcher exit $rc, expected 4 (a dead rank is a broken environment)"; exit 1; }
grep -q "rank 1 was killed by signal 9" kill.err || { echo "the launcher does not name the dead rank"; exit 1; }
echo "the others failed $(( (t1 - t0) / 1000000 )) ms after rank 1 was killed"
[ $(( (t1 - t0) / 1000000 )) -lt 10000 ] || { echo "too slow to notice a dead rank"; exit 1; }
sqlite3 kill.db "select status, fail_step is not null, fail_reason like 'rank 0: %failed (a peer rank died%' from runs" | grep -qx "failed|1|1" ||
  { echo "the run is not marked failed with its step"; sqlite3 kill.db "select * from runs"; exit 1; }

echo "== 4: a rank that hangs"
set +e
"$W" train run.toml --db hang.db --quiet --nproc 2 --set train.steps=2000 --set eval.every=0 --set train.dist_timeout_s=3 > hang.out 2> hang.err &
launcher=$!
for _ in $(seq 1 200); do [ "$(sqlite3 hang.db "select count(*) from step_metrics" 2>/dev/null)" -gt 20 ] 2>/dev/null && break; sleep 0.05; done
r1=$(rank_pid hang.db 1)
t0=$(date +%s%N); kill -STOP "$r1"; wait "$launcher"; rc=$?; t1=$(date +%s%N)
set -e
cat hang.err
[ "$rc" = 4 ] || { echo "launcher exit $rc, expected 4 (a dead rank is a broken environment)"; exit 1; }
grep -qE "rank 0: (allreduce|allgather|barrier) failed \(a peer rank died, or hung past the 3 s timeout\)" hang.err || { echo "no timeout error from rank 0"; exit 1; }
grep -q "rank 1 still running 13 s after a rank failed: killed" hang.err || { echo "the launcher did not end the hung rank"; exit 1; }
echo "rank 0 failed and the hung rank was ended $(( (t1 - t0) / 1000000 )) ms after it hung"
[ "$(sqlite3 hang.db "select status from runs")" = failed ] || { echo "the run is not marked failed"; exit 1; }

echo "== 5: stopped at world size 2, resumed at world size 1"
set +e
"$W" train run.toml --db res.db --quiet --nproc 2 --set train.steps=300 --set eval.every=0 --set run.checkpoint_every=1 --set run.checkpoint_dir=ckr > res.out 2> res.err &
launcher=$!
for _ in $(seq 1 400); do grep -qs '"step": [3-9]' ckr/state.json && break; sleep 0.02; done
kill -TERM "$launcher"; wait "$launcher"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "a stopped run exits $rc, expected 1"; cat res.err; exit 1; }
[ "$(sqlite3 res.db "select status from runs")" = killed ] || { echo "the stopped run is not marked killed"; sqlite3 res.db "select * from runs"; exit 1; }
stopped=$(sqlite3 res.db "select max(step) from step_metrics")
"$W" train run.toml --db res.db --quiet --resume --set train.steps=300 --set eval.every=0 --set run.checkpoint_every=1 --set run.checkpoint_dir=ckr > /dev/null
[ "$(sqlite3 res.db "select status || ' ' || (select max(step) from step_metrics) from runs")" = "finished 300" ] || { echo "the resumed run did not finish"; exit 1; }
echo "stopped at step $stopped on 2 ranks, resumed and finished on 1"

echo "== 6: bad input"
expect2() {  # expect2 NEEDLE CMD...: exit 2 with one line holding NEEDLE
  local needle=$1; shift
  set +e; out=$("$@" 2>&1 >/dev/null); rc=$?; set -e
  [ "$rc" = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | grep -qF -- "$needle" || { echo "expected exit 2 with '$needle', got $rc: $out"; exit 1; }
  echo "ok: $out"
}
expect2 "--nproc: 3 ranks must divide train.prompts_per_rollout (4)" "$W" train run.toml --db bad.db --quiet --nproc 3
expect2 "WORLD_SIZE: 3 ranks must divide train.prompts_per_rollout (4)" env RANK=0 WORLD_SIZE=3 "$W" train run.toml --db bad.db --quiet
expect2 "train.backend: nccl: this LibTorch has no NCCL" "$W" train run.toml --db bad.db --quiet --nproc 2 --set train.backend=nccl
expect2 "--nproc: must be in [1, 256], got 0" "$W" train run.toml --db bad.db --quiet --nproc 0
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', $port)); s.listen(); time.sleep(30)" &
busy=$!
sleep 0.5
expect2 "MASTER_PORT: rank 0 cannot listen on 127.0.0.1:$port (is the port in use?)" env RANK=0 WORLD_SIZE=2 MASTER_PORT=$port "$W" train run.toml --db bad.db --quiet
kill $busy
port=$((port + 1))
set +e
env RANK=0 WORLD_SIZE=2 MASTER_PORT=$port "$W" train run.toml --db bad.db --quiet > /dev/null 2> r0.err &
r0=$!
set -e
sleep 0.3
expect2 "WORLD_SIZE: rank 1 has 4, rank 0 has 2" env RANK=1 WORLD_SIZE=4 MASTER_PORT=$port "$W" train run.toml --db bad.db --quiet
set +e; wait $r0; rc0=$?; set -e
[ "$rc0" = 2 ] || { echo "rank 0 of a mismatched world exits $rc0: $(cat r0.err)"; exit 1; }
expect2 "RANK: 2 is not below WORLD_SIZE 2" env RANK=2 WORLD_SIZE=2 "$W" train run.toml --db bad.db --quiet
[ "$(sqlite3 bad.db "select count(*) from runs" 2>/dev/null || echo 0)" = 0 ] || { echo "bad input left a run row"; exit 1; }
echo "ok: data parallel training"
