#!/usr/bin/env bash
# kill_commit.sh RLVRBENCH FAULT_SHIM SOURCE_DIR ZOO: commands killed while they replace files.
#   zoo build    SIGKILLed twice mid-way (after random delays): the next build finishes and every
#                file's bytes equal the uninterrupted build's (ZOO, built by the zoo_micro fixture;
#                zoo.json's build seconds excepted), and nothing is left staged
#   train        a cell checkpointing every step, SIGKILLed at random moments: every step-N folder
#                is whole (a cut one stays step-N.partial), and --resume finishes the run
#   golden update  SIGKILLed just before its rename (tests/fault_shim.cpp): the old golden is intact
#   two golden updates at once (the first held 1.5 s before its rename): one wins whole, the other
#                exits 1 with one line naming the lock, and the file is exactly the winner's render
set -uo pipefail
W=$1 SHIM=$2 SRC=$3 ZOO=$4
S="$SRC/tests/data/suites/faults_micro.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export RLVRBENCH_ZOO=$ZOO

# --- zoo build ---
# The reference is ZOO/synth-micro, built by the zoo_micro fixture with this binary and spec. Each
# kill comes after a random delay (ZOO_KILL_DELAYS="s1 s2 ..." to choose), inside the ~1-3 min a
# micro build takes; the next build must resume or redo whatever the kill cut.
ref="$ZOO/synth-micro"
[ -f "$ref/model.safetensors" ] || fail "$ref: no reference build (the zoo_micro fixture builds it)"
delays=${ZOO_KILL_DELAYS:-"$((3 + RANDOM % 10)) $((15 + RANDOM % 15))"}
kills=0
for delay in $delays; do
  "$W" zoo build --only synth-micro --out "$tmp/zoo" --quiet > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if kill -9 $pid 2> /dev/null; then kills=$((kills + 1)); fi
  wait $pid 2> /dev/null
  echo "zoo build SIGKILLed after $delay s; left: $(ls -A "$tmp/zoo" 2> /dev/null | tr '\n' ' ')"
done
[ $kills -ge 1 ] || fail "no zoo build was still running to kill (delays: $delays)"
"$W" zoo build --only synth-micro --out "$tmp/zoo" --quiet > /dev/null 2>&1 || fail "the zoo build after the kills failed"
# zoo.json records the build's seconds (its only field that may differ); every other byte must not.
strip_seconds() { grep -vE '^  "(base_)?seconds": ' "$1"; }
diff -r -x zoo.json "$ref" "$tmp/zoo/synth-micro" > /dev/null || fail "zoo build after kills differs from the uninterrupted one: $(diff -rq -x zoo.json "$ref" "$tmp/zoo/synth-micro" | head -3)"
diff <(strip_seconds "$ref/zoo.json") <(strip_seconds "$tmp/zoo/synth-micro/zoo.json") > /dev/null || fail "zoo.json differs beyond its seconds: $(diff <(strip_seconds "$ref/zoo.json") <(strip_seconds "$tmp/zoo/synth-micro/zoo.json") | head -4)"
! ls -A "$tmp/zoo" | grep -q staging || fail "staged folders left: $(ls -A "$tmp/zoo")"
echo "ok: zoo build SIGKILLed $kills times mid-way (after $delays s), then finished: every file equals the uninterrupted build's"

# --- train with a checkpoint every step: killed at random moments ---
# Each checkpoint folder that exists is whole (model, config, optimizer; loads), state.json names one,
# and --resume finishes the run.
C1=faults_micro/synth-micro/ground_truth/1
ck_kills=0
for i in 1 2 3; do
  d="$tmp/ck$i"; mkdir -p "$d"
  "$W" train --suite "$S" --cell $C1 --db "$d/r.db" --quiet --set run.checkpoint_dir="$d/ck" > /dev/null 2>&1 &
  pid=$!
  # A random point inside the run whatever the machine's speed: once it has logged a random number
  # of steps, then a random fraction of a step later (a checkpoint write, an update, an eval).
  want=$((1 + RANDOM % 3)) t0=$(date +%s%N)
  for _ in $(seq 1 1000); do
    [ "$(sqlite3 "$d/r.db" "SELECT COUNT(DISTINCT step) FROM step_metrics" 2> /dev/null || echo 0)" -ge $want ] 2> /dev/null && break
    kill -0 $pid 2> /dev/null || break
    sleep 0.01
  done
  sleep "0.0$((RANDOM % 10))"
  delay=$(( ($(date +%s%N) - t0) / 1000000 ))ms
  kill -9 $pid 2> /dev/null
  wait $pid 2> /dev/null
  # A process that had just ended still takes the signal (a zombie): the database says if it finished.
  killed=1
  [ "$(sqlite3 "$d/r.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1" 2> /dev/null)" = finished ] && killed=0
  ck_kills=$((ck_kills + killed))
  for c in "$d"/ck/step-??????; do
    [ -d "$c" ] || continue
    for f in model.safetensors config.json optimizer.pt; do [ -s "$c/$f" ] || fail "$c: $f missing from a checkpoint folder"; done
    "$W" logits --model "$c" --text "1+1=" > /dev/null 2>&1 || fail "$c: does not load"
  done
  whole=$(ls -d "$d"/ck/step-?????? 2> /dev/null | wc -l)
  if [ $killed = 1 ] && [ -f "$d/ck/state.json" ]; then
    "$W" train --suite "$S" --cell $C1 --db "$d/r.db" --quiet --resume --set run.checkpoint_dir="$d/ck" > /dev/null 2> "$d/err" || { cat "$d/err"; fail "--resume after the kill failed"; }
    [ "$(sqlite3 "$d/r.db" "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = finished ] || fail "the resumed run did not finish"
  fi
  [ $killed = 1 ] || { echo "train finished before its kill at $delay s"; continue; }
  echo "train killed after $delay: $whole whole checkpoints, $(ls -d "$d"/ck/*.partial 2> /dev/null | wc -l) partial$([ -f "$d/ck/state.json" ] && echo ', resumed to the end')"
done
[ $ck_kills -ge 1 ] || fail "no train was still running to kill"
echo "ok: train SIGKILLed $ck_kills times: every checkpoint folder whole or absent"

# --- golden update: killed before its rename ---
for seed in 1 2; do
  "$W" train --suite "$S" --cell faults_micro/synth-micro/ground_truth/$seed --db "$tmp/r.db" --quiet \
    --set run.checkpoint_every=0 > /dev/null || fail "seed $seed failed"
done
mkdir -p "$tmp/g" "$tmp/ref"
"$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/g.toml" --db "$tmp/r.db" --seeds 1 > /dev/null || fail "golden update failed"
cp "$tmp/g/g.toml" "$tmp/ref/seed1.toml"
cp "$tmp/ref/seed1.toml" "$tmp/ref/seed12.toml"   # the update of that golden with seeds 1,2: what a winner writes
"$W" golden update --allow-dirty --suite "$S" --golden "$tmp/ref/seed12.toml" --db "$tmp/r.db" --seeds 1,2 > /dev/null || fail "golden update failed"
cmp -s "$tmp/ref/seed1.toml" "$tmp/ref/seed12.toml" && fail "seeds 1 and 1,2 give the same golden: the test cannot tell them apart"
RLVR_FAULT_KILL_ON_RENAME=g.toml LD_PRELOAD="$SHIM" "$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/g.toml" --db "$tmp/r.db" --seeds 1,2 > /dev/null 2>&1
rc=$?
[ $rc = 137 ] || fail "golden update before its rename: exit $rc, expected 137 (SIGKILL)"
cmp -s "$tmp/ref/seed1.toml" "$tmp/g/g.toml" || fail "golden update killed before its rename changed the golden"
"$W" compare --suite "$S" --golden "$tmp/g/g.toml" --db "$tmp/r.db" --seeds 1 > /dev/null || fail "the old golden no longer judges"
echo "ok: golden update SIGKILLed before its rename: the old golden is intact and judges"

# --- two golden updates at once ---
rm -f "$tmp"/g/g.toml.tmp.*
RLVR_FAULT_RENAME_DELAY_MS=1500 LD_PRELOAD="$SHIM" "$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/g.toml" --db "$tmp/r.db" --seeds 1,2 > "$tmp/a.out" 2> "$tmp/a.err" &
a=$!
sleep 0.5
"$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/g.toml" --db "$tmp/r.db" --seeds 1 > "$tmp/b.out" 2> "$tmp/b.err"
rb=$?
wait $a; ra=$?
[ $ra = 0 ] || { cat "$tmp/a.err"; fail "the first golden update failed (exit $ra)"; }
[ $rb = 4 ] || { cat "$tmp/b.err"; fail "the second golden update, while the first held the lock: exit $rb, expected 4 (the environment: another process holds the lock)"; }
[ "$(grep -c '' "$tmp/b.err")" = 1 ] && grep -q "holds its lock" "$tmp/b.err" || { cat "$tmp/b.err"; fail "the loser's message"; }
cmp -s "$tmp/ref/seed12.toml" "$tmp/g/g.toml" || fail "the golden is not exactly the winner's render"
[ "$(ls "$tmp/g")" = g.toml ] || fail "left behind: $(ls "$tmp/g")"
echo "ok: two golden updates at once: the first won whole, the second exited 1 ($(cat "$tmp/b.err"))"
