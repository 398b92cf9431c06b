#!/usr/bin/env bash
# ingest.sh RLVRBENCH SOURCE_DIR ONE.db ZOO: run files (results/run_file.h, docs/run-format.md).
# ONE.db holds the smoke suite run in one database (CTest cli/run_sequential_smoke).
#   1. every run of ONE.db exported and ingested into a fresh database: compare prints the same
#      verdicts, and exporting again gives the same records; ingesting a file again adds nothing;
#   2. a suite cell trained by an external runner (tests/data/external/fake_trainer.sh, standing in
#      for verl) through `train --suite --cell`, as CTest runs a cell: the run is stored, golden
#      update and compare judge it; a runner that fails is exit 1, one that writes a bad file exit 2;
#   3. malformed run files (tests/data/ingest/bad_cases.txt): exit 2, one line naming the file, line
#      and field, and nothing written.
set -euo pipefail
W=$1 SRC=$2 ONE=$(realpath "$3") ZOO=$4
S="$SRC/suites/smoke.toml" G="$SRC/golden/smoke.toml" X="$SRC/tests/data/suites/external.toml"
export RLVRBENCH_ZOO=$ZOO
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "ingest.sh: $*" >&2; exit 1; }

echo "== 1: export, ingest, compare"
ids=$(sqlite3 -readonly "$ONE" "SELECT id FROM runs WHERE status = 'finished' ORDER BY id")
for id in $ids; do "$W" export --run "$id" --db "$ONE" --out "run$id.jsonl"; done
"$W" ingest run*.jsonl --suite "$S" --db in.db
"$W" compare --suite "$S" --golden "$G" --db "$ONE" | grep -v '^database:' > c1.txt || true
"$W" compare --suite "$S" --golden "$G" --db in.db | grep -v '^database:' > c2.txt || true
grep -q PASS c1.txt || fail "no verdicts on $ONE"
cmp -s c1.txt c2.txt || { diff c1.txt c2.txt | head; fail "compare differs after export + ingest"; }
for id in $(sqlite3 in.db "SELECT id FROM runs ORDER BY id"); do "$W" export --run "$id" --db in.db > "again$id.jsonl"; done
for f in run*.jsonl; do
  n=${f#run}; n=${n%.jsonl}
  m=$(sqlite3 in.db "SELECT run FROM params WHERE key = 'ingest.file' AND value = '$f'")
  cmp -s <(tail -n +2 "$f") <(tail -n +2 "again$m.jsonl") || fail "run $n: records changed on the way through ingest"
done
"$W" ingest run*.jsonl --db in.db | grep -q "already ingested" || fail "a second ingest was not skipped"
[ "$(sqlite3 in.db "SELECT COUNT(*) FROM runs")" = "$(echo "$ids" | wc -l)" ] || fail "a second ingest added runs"
echo "$(echo "$ids" | wc -l) runs: compare identical, records identical, re-ingest skipped"

echo "== 2: an external runner through a suite cell"
cell=external/synth-micro/ground_truth/1
out=$("$W" train --suite "$X" --cell $cell --db ext.db 2> runner.err)
echo "$out"
echo "$out" | grep -q '"status": "finished", "runner": "fake-verl"' || { cat runner.err; fail "the runner's run was not stored"; }
grep -q "fake_trainer.sh: training seed 1" runner.err || fail "the runner did not run"
[ "$(sqlite3 ext.db "SELECT value FROM params WHERE key = 'trainer.name'")" = fake-verl ] || fail "trainer name not recorded"
"$W" golden update --allow-dirty --suite "$X" --golden g.toml --db ext.db > /dev/null
"$W" compare --suite "$X" --golden g.toml --db ext.db > cx.txt || { cat cx.txt; fail "compare of the external run failed"; }
grep -q "^PASS .*synth-micro/ground_truth accuracy" cx.txt || fail "no accuracy verdict for the external cell"
"$W" run "$X" --db ext_run.db --no-compare --quiet 2> /dev/null
[ "$(sqlite3 ext_run.db "SELECT status FROM runs")" = finished ] || fail "run did not drive the external cell"
"$W" run "$X" --mutant lr-div10 --db ext_run.db --quiet 2> m.err || { cat m.err; fail "run --mutant of an external cell"; }
grep -q "fake_trainer.sh: training seed 1" m.err || fail "run --mutant did not drive the runner: $(cat m.err)"
[ "$(sqlite3 ext_run.db "SELECT mutant FROM runs ORDER BY id DESC LIMIT 1")" = lr-div10 ] || fail "the mutant's run was not tagged lr-div10"
set +e
"$W" power "$X" --golden g.toml --mutants lr-div10 --seeds 2 --no-control --db ext_run.db > p.out 2> p.err; rc=$?
set -e
grep -q "fake_trainer.sh: training seed 2" p.err || fail "power did not drive the runner (exit $rc): $(cat p.err)"
[ "$(sqlite3 ext_run.db "SELECT COUNT(*) FROM runs WHERE seed = 2 AND mutant = 'lr-div10' AND status = 'finished'")" = 1 ] || fail "power's mutant run by the runner not stored"
set +e
FAKE_TRAINER_FAIL=1 "$W" train --suite "$X" --cell $cell --db ext.db > /dev/null 2> f.err; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "runner exited 3" f.err || fail "a failing runner: exit $rc, $(cat f.err)"
set +e
FAKE_TRAINER_BADKEY=1 "$W" train --suite "$X" --cell $cell --db ext.db > /dev/null 2> k.err; rc=$?
set -e
[ "$rc" = 2 ] && grep -q "train.bug = 'clip-max'" k.err && grep -q "runner exited 2 (bad input" k.err || fail "a runner refusing a key: exit $rc, $(cat k.err)"
set +e
FAKE_TRAINER_BAD=1 "$W" train --suite "$X" --cell $cell --db ext.db > /dev/null 2> b.err; rc=$?
set -e
[ "$rc" = 2 ] && grep -q "runner output:5: correct: missing" b.err || fail "a bad run file from a runner: exit $rc, $(cat b.err)"
[ "$(sqlite3 ext.db "SELECT COUNT(*) FROM runs")" = 1 ] || fail "a failed runner left a run behind"
echo "external runner: stored and judged; run --mutant and power drive it and tag the mutant; failing runner exit 1; a runner refusing a key exit 2; bad output exit 2"

echo "== 3: malformed run files"
sed 's/@SEED@/1/' "$SRC/tests/data/external/fake_verl_run.jsonl" > good.jsonl
"$W" ingest good.jsonl --data "$ZOO/synth-micro/eval.jsonl" --db good.db --quiet  # the base case is good
n=0
while IFS='|' read -r name cmd want; do
  name=$(echo "$name" | xargs) want=$(echo "$want" | sed 's/^ *//; s/ *$//')
  case "$name" in ''|'#'*) continue ;; esac
  cmd=$(echo "$cmd" | sed 's/^ *//; s/ *$//')
  rm -f bad.jsonl bad.db*
  if [[ "$cmd" == *" good.jsonl" ]] || [[ "$cmd" == "head"* ]]; then bash -c "$cmd" > bad.jsonl; else bash -c "$cmd"; fi
  set +e; "$W" ingest bad.jsonl --data "$ZOO/synth-micro/eval.jsonl" --db bad.db > /dev/null 2> err.txt; rc=$?; set -e
  [ "$rc" = 2 ] || fail "$name: exit $rc, expected 2 ($(cat err.txt))"
  [ "$(wc -l < err.txt)" = 1 ] || fail "$name: not one line: $(cat err.txt)"
  grep -qF -- "$want" err.txt || fail "$name: '$(cat err.txt)' lacks '$want'"
  [ ! -e bad.db ] || [ "$(sqlite3 bad.db "SELECT COUNT(*) FROM runs")" = 0 ] || fail "$name: a run was written"
  n=$((n + 1))
done < "$SRC/tests/data/ingest/bad_cases.txt"
echo "$n malformed files: exit 2, one line naming the file, line and field, nothing written"
echo "ingest.sh: all checks passed"
