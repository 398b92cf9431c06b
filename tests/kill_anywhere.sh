#!/usr/bin/env bash
# kill_anywhere.sh RLVRBENCH BUILD_DIR SOURCE_DIR: the smoke suite under `ctest -j2`, its cells
# SIGKILLed at random steps, then rerun, while readers query the database the whole time.
#   1. reference: the smoke cells uninterrupted into ref.db; `compare --format json` on it
#   2. ROUNDS rounds (default 3), each into a fresh database: every cell that starts is SIGKILLed
#      once its last logged step reaches a target drawn from -1..STEPS-1 (-1: as soon as it
#      starts, in the step-0 evaluation); then the same ctest again, which must pass
#   3. after each round: compare's output equals the reference's (table and JSON, byte for byte,
#      the JSON's run ids aside: the rerun cells have new ones), no run is left
#      `running`, every killed run is marked killed, no row belongs to a missing run,
#      PRAGMA integrity_check is ok, and no checkpoint folder is half-written
#   readers, all along: `query runs`, `compare`, `report` in a loop, and one SQL statement checking
#      that every stored accuracy equals the mean of its stored items (a reader that saw half a
#      write would differ); none may exit 3, be killed, or say locked/busy
# KILL_SEED=N reproduces a round's targets (printed).
set -uo pipefail
W=$1 B=$2 SRC=$3
ROUNDS=${ROUNDS:-3}
S="$SRC/suites/smoke.toml" G="$SRC/golden/smoke.toml"
steps=$(sed -n 's/^steps *= *\([0-9]*\).*/\1/p' "$S")
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2> /dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The smoke cells and their database fixture; the zoo is the zoo_micro fixture's.
suite_ctest() { RLVRBENCH_DB=$1 ctest --test-dir "$B" -L '^smoke$' -E '^zoo/|/compare$|/power$' -FA 'rlvr_zoo_.*' -j2 -Q > "$2" 2>&1; }
# compare's table and its JSON with the run ids and the database path left out (a rerun gives the
# killed cells new ids; every number and verdict must be the same).
compare_json() {
  "$W" compare --suite "$S" --golden "$G" --db "$1" 2> /dev/null | grep -v '^database: '
  "$W" compare --suite "$S" --golden "$G" --db "$1" --format json 2> /dev/null |
    python3 -c 'import json, sys
def strip(o):
    if isinstance(o, dict): return {k: strip(v) for k, v in o.items() if k not in ("runs", "database")}
    if isinstance(o, list): return [strip(v) for v in o]
    return o
json.dump(strip(json.load(sys.stdin)), sys.stdout, indent=1, sort_keys=True)'
}

readers() {  # DB LOG: until LOG.stop exists (then it finishes the command it is in and exits)
  local db=$1 log=$2 n=0 rc out
  while [ ! -e "$log.stop" ]; do
    for cmd in "query runs" "compare" "report" "sql"; do
      case $cmd in
        "query runs") out=$("$W" query runs --db "$db" 2>&1 > /dev/null); rc=$? ;;
        compare) out=$("$W" compare --suite "$S" --golden "$G" --db "$db" 2>&1 > /dev/null); rc=$? ;;
        report) out=$("$W" report --db "$db" --out "$tmp/report" 2>&1 > /dev/null); rc=$? ;;
        sql) [ -f "$db" ] || continue
             out=$(sqlite3 -cmd ".timeout 30000" "$db" "SELECT count(*) FROM evals e WHERE e.metric = 'accuracy' AND e.value IS NOT NULL AND
                     abs(e.value - coalesce((SELECT avg(correct) FROM eval_items i WHERE i.run = e.run AND i.step = e.step AND i.dataset = e.dataset), -1)) > 1e-9" 2>&1)
             rc=$?; [ $rc = 0 ] && [ "$out" != 0 ] && { echo "INCONSISTENT $out accuracies without their items" >> "$log"; }
             out="" ;;
      esac
      n=$((n + 1))
      # 0 ok, 1 a verdict (cells unfinished), 2 only before the database has runs
      if [ $rc -ge 3 ] || echo "$out" | grep -qiE "locked|busy|internal error"; then echo "BAD $cmd exit $rc: $out" >> "$log"
      elif [ $rc = 2 ] && ! echo "$out" | grep -qE "no such database file|no runs|no finished|no eval rows"; then echo "BAD $cmd exit 2: $out" >> "$log"; fi
    done
    echo "$n" > "$log.count"
  done
}

killer() {  # DB LOG: SIGKILLs each running cell once its max logged step reaches its target
  local db=$1 log=$2
  declare -A target
  while :; do
    while IFS='|' read -r id cell pid step; do
      [ -n "$id" ] || continue
      if [ -z "${target[$id]:-}" ]; then target[$id]=$((RANDOM % (steps + 1) - 1)); fi
      if [ "${target[$id]}" != done ] && [ "$step" -ge "${target[$id]}" ]; then
        if kill -9 "$pid" 2> /dev/null; then echo "killed run $id ($cell) pid $pid at logged step $step (target ${target[$id]})" >> "$log"; fi
        target[$id]=done
      fi
    done < <(sqlite3 -cmd ".timeout 30000" "$db" "SELECT r.id, r.cell, r.pid, coalesce((SELECT max(step) FROM step_metrics m WHERE m.run = r.id), -1)
                                                   FROM runs r WHERE r.status = 'running' AND r.pid IS NOT NULL" 2> /dev/null)
    sleep 0.05
  done
}

check_db() {  # DB NAME
  local db=$1
  sqlite3() { command sqlite3 -cmd ".timeout 30000" "$@"; }  # a reader may still be closing
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "$2: integrity_check not ok"
  [ -z "$(sqlite3 "$db" 'PRAGMA foreign_key_check')" ] || fail "$2: foreign_key_check: $(sqlite3 "$db" 'PRAGMA foreign_key_check' | head -3)"
  local running orphans
  running=$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE status = 'running'")
  [ "$running" = 0 ] || fail "$2: $running runs left running"
  orphans=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM step_metrics WHERE run NOT IN (SELECT id FROM runs)) + (SELECT count(*) FROM evals WHERE run NOT IN (SELECT id FROM runs))
                             + (SELECT count(*) FROM eval_items WHERE run NOT IN (SELECT id FROM runs)) + (SELECT count(*) FROM params WHERE run NOT IN (SELECT id FROM runs))")
  [ "$orphans" = 0 ] || fail "$2: $orphans orphan rows"
  local half; half=$(find "$(dirname "$db")" -path '*step-*' -name '*.tmp*' 2> /dev/null | head -1)
  [ -z "$half" ] || fail "$2: a half-written checkpoint file: $half"
}

echo "reference: smoke cells uninterrupted"
suite_ctest "$tmp/ref.db" "$tmp/ref.log" || { tail -20 "$tmp/ref.log"; fail "the uninterrupted smoke cells failed"; }
compare_json "$tmp/ref.db" > "$tmp/ref.json"
[ -s "$tmp/ref.json" ] || fail "compare gave no output on the reference"

total_kills=0
for round in $(seq "$ROUNDS"); do
  seed=${KILL_SEED:-$((RANDOM * 32768 + RANDOM))}
  RANDOM=$((seed + round))
  db="$tmp/k$round/r.db"; mkdir -p "$tmp/k$round"
  : > "$tmp/k$round/kills.log"; : > "$tmp/k$round/readers.log"
  killer "$db" "$tmp/k$round/kills.log" & pids+=($!)
  readers "$db" "$tmp/k$round/readers.log" & pids+=($!)
  suite_ctest "$db" "$tmp/k$round/ctest1.log"
  kill "${pids[-2]}" 2> /dev/null; wait "${pids[-2]}" 2> /dev/null
  kills=$(grep -c '^killed' "$tmp/k$round/kills.log")
  echo "round $round: $kills kills (targets drawn with RANDOM=$((seed + round)); KILL_SEED=$seed repeats them)"
  sed 's/^/  /' "$tmp/k$round/kills.log"
  [ "$kills" -ge 1 ] || fail "round $round: no cell was killed"
  killed_ids=$(sed -n 's/^killed run \([0-9]*\).*/\1/p' "$tmp/k$round/kills.log" | paste -sd, -)
  suite_ctest "$db" "$tmp/k$round/ctest2.log" || { tail -30 "$tmp/k$round/ctest2.log"; fail "round $round: the rerun failed"; }
  touch "$tmp/k$round/readers.log.stop"; wait "${pids[-1]}" 2> /dev/null
  check_db "$db" "round $round"
  bad=$(sqlite3 -cmd ".timeout 30000" "$db" "SELECT count(*) FROM runs WHERE id IN ($killed_ids) AND status != 'killed'")
  [ "$bad" = 0 ] || fail "round $round: $bad killed runs not marked killed: $(sqlite3 "$db" "SELECT id, status FROM runs WHERE id IN ($killed_ids)")"
  compare_json "$db" > "$tmp/k$round/compare.json"
  diff "$tmp/ref.json" "$tmp/k$round/compare.json" > "$tmp/k$round/compare.diff" || { head -20 "$tmp/k$round/compare.diff"; fail "round $round: compare differs from the uninterrupted run's"; }
  [ ! -s "$tmp/k$round/readers.log" ] || { head -5 "$tmp/k$round/readers.log"; fail "round $round: a reader failed"; }
  echo "ok: round $round: $kills cells killed and rerun; compare identical to the uninterrupted run; $(cat "$tmp/k$round/readers.log.count" 2> /dev/null || echo 0) reader commands, none failed or saw a half write"
  total_kills=$((total_kills + kills))
done
echo "ok: $total_kills kills in $ROUNDS rounds, every database consistent and judged as the uninterrupted one"
