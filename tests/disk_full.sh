#!/usr/bin/env bash
# disk_full.sh RLVRBENCH FAULT_SHIM SOURCE_DIR ZOO: a disk that fills while rlvrbench writes.
# tests/fault_shim.cpp (LD_PRELOAD) fails every write under one folder with ENOSPC once N bytes have
# gone there, for N swept over the life of a run, in three places:
#   checkpoints  the run's checkpoint folder fills (database elsewhere): exit 1, one line naming a
#                file in that folder, the run marked failed with its step, every step-N folder
#                whole (a half-written one stays step-N.partial), state.json naming a whole one
#   database     the results database's folder fills: exit 1, one line naming the database,
#                PRAGMA integrity_check ok, no run marked finished; once space is back, the next
#                train marks the dead run killed and finishes a new one. (When the disk fills only
#                in the WAL checkpoint at close, after the last commit, the run is whole: exit 0.)
#   golden       `golden update` onto a full folder: exit 1, one line naming the golden, the old
#                golden byte-identical, no temporary file left
# Prints one line per case and a count at the end.
set -uo pipefail
W=$1 SHIM=$2 SRC=$3 ZOO=$4
export RLVRBENCH_ZOO=$ZOO
S="$SRC/tests/data/suites/faults_micro.toml"
C1=faults_micro/synth-micro/ground_truth/1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cases=0 db_marked=0
one_line() {  # stderr file, expected substring
  local n; n=$(grep -c '' "$1")
  [ "$n" = 1 ] || { cat "$1"; fail "$2: expected one line on stderr, got $n"; }
  grep -qF -- "$2" "$1" || { cat "$1"; fail "stderr does not name $2"; }
}
integrity() { [ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ] || fail "$1: integrity_check not ok"; }
checkpoints_whole() {  # ROOT: every step-N folder holds a model, its config and the optimizer
  local d
  for d in "$1"/step-??????; do
    [ -d "$d" ] || continue
    for f in model.safetensors config.json optimizer.pt; do [ -s "$d/$f" ] || fail "$d: $f missing in a checkpoint folder"; done
    "$W" logits --model "$d" --text "1+1=" > /dev/null 2>&1 || fail "$d: does not load"
  done
  if [ -f "$1/state.json" ]; then
    local dir; dir=$(sed -n 's/.*"dir": "\([^"]*\)".*/\1/p' "$1/state.json")
    [ -d "$1/$dir" ] || fail "$1/state.json names $dir, which is not a whole checkpoint"
  fi
  ! ls "$1"/*.tmp.* "$1"/*/*.tmp* > /dev/null 2>&1 || fail "$1: temporary files left: $(ls "$1"/*.tmp.* "$1"/*/*.tmp* 2>/dev/null)"
}

# Sizes to calibrate the sweep: one uninterrupted run.
"$W" train --suite "$S" --cell $C1 --db "$tmp/ref.db" --quiet --set run.checkpoint_dir="$tmp/ref-ck" > /dev/null || fail "reference run failed"
ck_bytes=$(du -sb "$tmp/ref-ck" | cut -f1)
step_bytes=$(du -sb "$tmp/ref-ck/step-000001" | cut -f1)
echo "reference: checkpoints $ck_bytes bytes ($step_bytes a step)"

# --- checkpoints ---
for n in 0 4096 $((step_bytes / 2)) $((step_bytes + step_bytes / 3)) $((2 * step_bytes + 100)); do
  d="$tmp/ck-$n"; mkdir -p "$d/full"
  RLVR_FAULT_DIR="$d/full" RLVR_FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$SHIM" \
    "$W" train --suite "$S" --cell $C1 --db "$d/r.db" --quiet --set run.checkpoint_dir="$d/full/ck" > /dev/null 2> "$d/err"
  rc=$?
  [ $rc = 4 ] || { cat "$d/err"; fail "checkpoints full after $n bytes: exit $rc, expected 4 (a broken environment)"; }
  one_line "$d/err" "$d/full/ck/"
  grep -q "No space left on device" "$d/err" || { cat "$d/err"; fail "the message does not say the disk is full"; }
  integrity "$d/r.db"
  read -r status step < <(sqlite3 -separator ' ' "$d/r.db" "SELECT status, fail_step FROM runs")
  [ "$status" = failed ] || fail "checkpoints full after $n bytes: run is '$status', expected failed"
  checkpoints_whole "$d/full/ck"
  echo "ok: checkpoints full after $n bytes: exit 4, run failed at step $step, $(ls -d "$d"/full/ck/step-?????? 2>/dev/null | wc -l) whole checkpoints, $(ls -d "$d"/full/ck/*.partial 2>/dev/null | wc -l) partial"
  cases=$((cases + 1))
done

# --- database ---

# What one run writes into the database and its WAL, counted by the shim.
mkdir -p "$tmp/count"
RLVR_FAULT_DIR="$tmp/count" RLVR_FAULT_COUNT_TO="$tmp/count.txt" LD_PRELOAD="$SHIM" \
  "$W" train --suite "$S" --cell $C1 --db "$tmp/count/r.db" --quiet --set run.checkpoint_dir="$tmp/count-ck" > /dev/null || fail "counting run failed"
db_bytes=$(cat "$tmp/count.txt")
echo "reference: a run writes $db_bytes bytes into its database and WAL"
for n in 0 $((db_bytes / 8)) $((db_bytes * 3 / 8)) $((db_bytes / 2)) $((db_bytes * 9 / 16)) $((db_bytes * 5 / 8)) $((db_bytes * 3 / 4)); do
  d="$tmp/db-$n"; mkdir -p "$d/full"
  RLVR_FAULT_DIR="$d/full" RLVR_FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$SHIM" \
    "$W" train --suite "$S" --cell $C1 --db "$d/full/r.db" --quiet --set run.checkpoint_dir="$d/ck" > /dev/null 2> "$d/err"
  rc=$?
  if [ $rc = 0 ]; then
    # The disk filled only in the WAL checkpoint at close: the run was committed (in the WAL), so
    # it is whole and finished; the next open checkpoints it.
    integrity "$d/full/r.db"
    [ "$(sqlite3 "$d/full/r.db" "SELECT group_concat(status) FROM runs")" = finished ] || fail "database full after $n bytes: exit 0 but the run is not finished"
    echo "ok: database full after $n bytes: exit 0, the disk filled after the last commit (in the WAL checkpoint at close); the run is finished and whole"
    cases=$((cases + 1)); continue
  fi
  [ $rc = 4 ] || [ $rc = 2 ] || { cat "$d/err"; fail "database full after $n bytes: exit $rc, expected 4 (a broken environment) or 2"; }
  one_line "$d/err" "$d/full/r.db"
  [ -f "$d/full/r.db" ] && integrity "$d/full/r.db"
  finished=$( [ -s "$d/full/r.db" ] && sqlite3 "$d/full/r.db" "SELECT count(*) FROM runs WHERE status = 'finished'" 2> /dev/null || echo 0)
  [ "${finished:-0}" = 0 ] || fail "database full after $n bytes: a run is marked finished"
  # Space is back: the next train reaps the dead run and finishes.
  "$W" train --suite "$S" --cell $C1 --db "$d/full/r.db" --quiet --set run.checkpoint_dir="$d/ck2" > /dev/null 2> "$d/err2" ||
    { cat "$d/err2"; fail "database full after $n bytes: the next train failed"; }
  integrity "$d/full/r.db"
  left=$(sqlite3 "$d/full/r.db" "SELECT group_concat(status) FROM runs ORDER BY id")
  case "$left" in finished|killed,finished|failed,finished) ;; *) fail "database full after $n bytes: runs afterwards: $left";; esac
  [ "$left" = finished ] || db_marked=$((db_marked + 1))
  orphans=$(sqlite3 "$d/full/r.db" "SELECT (SELECT count(*) FROM step_metrics WHERE run NOT IN (SELECT id FROM runs)) + (SELECT count(*) FROM evals WHERE run NOT IN (SELECT id FROM runs))")
  [ "$orphans" = 0 ] || fail "database full after $n bytes: $orphans orphan rows"
  echo "ok: database full after $n bytes: exit $rc ($(cut -c1-90 "$d/err")...), integrity ok, runs then: $left"
  cases=$((cases + 1))
done

# --- golden ---
"$W" train --suite "$S" --cell faults_micro/synth-micro/ground_truth/2 --db "$tmp/ref.db" --quiet --set run.checkpoint_dir="$tmp/ref-ck2" > /dev/null || fail "seed 2 failed"
mkdir -p "$tmp/g/full"
"$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/full/g.toml" --db "$tmp/ref.db" --seeds 1 > /dev/null || fail "golden update (seed 1) failed"
cp "$tmp/g/full/g.toml" "$tmp/g/old.toml"
g_bytes=$(stat -c %s "$tmp/g/old.toml")
for n in 0 100 $((g_bytes / 2)) $((g_bytes - 1)); do
  RLVR_FAULT_DIR="$tmp/g/full" RLVR_FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$SHIM" \
    "$W" golden update --allow-dirty --suite "$S" --golden "$tmp/g/full/g.toml" --db "$tmp/ref.db" --seeds 1,2 > /dev/null 2> "$tmp/g/err"
  rc=$?
  [ $rc = 4 ] || { cat "$tmp/g/err"; fail "golden full after $n bytes: exit $rc, expected 4 (a broken environment)"; }
  one_line "$tmp/g/err" "$tmp/g/full/g.toml"
  cmp -s "$tmp/g/old.toml" "$tmp/g/full/g.toml" || fail "golden full after $n bytes: the old golden changed"
  [ "$(ls "$tmp/g/full")" = g.toml ] || fail "golden full after $n bytes: left behind: $(ls "$tmp/g/full")"
  echo "ok: golden full after $n of $g_bytes bytes: exit 4, old golden intact"
  cases=$((cases + 1))
done
echo "ok: $cases disk-full cases, every one failed cleanly and left consistent files ($db_marked database cases had stored the run before the disk filled: it was marked failed or killed)"
