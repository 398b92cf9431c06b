#!/usr/bin/env bash
# db_merge.sh RLVRBENCH SOURCE_DIR ONE.db: suite shards and `db merge` (results/db_merge.h).
# ONE.db holds the smoke suite run sequentially in one database (CTest cli/run_sequential_smoke).
#   1. the shards of zoo-full, paper and smoke cover every cell exactly once, for N = 1..7;
#   2. ONE.db split by shard into two files and merged back (in either order) is ONE.db row for row,
#      ids included, and compare / report on it print what they print on ONE.db;
#   3. merging a shard again adds nothing;
#   4. the smoke suite run as 2 real shards (run --shard I/2) and merged: compare's verdicts equal
#      those on ONE.db;
#   5. bad input, exit 2 with one line naming the file(s), the output untouched and no temporary
#      file left: a run recorded differently, schema versions that differ, a file that is not a
#      database, a missing file, the output among the inputs.
set -euo pipefail
W=$1 SRC=$2 ONE=$(realpath "$3")
S="$SRC/suites/smoke.toml" G="$SRC/golden/smoke.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
dump() {  # every table but meta (creation times), rows in key order
  sqlite3 -readonly "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'meta' ORDER BY name" | while read -r t; do
    echo "== $t"
    sqlite3 -readonly "$1" "SELECT * FROM $t ORDER BY 1, 2, 3"
  done
}
fail() { echo "db_merge.sh: $*" >&2; exit 1; }

echo "== 1: shards cover every cell once"
for suite in zoo-full paper smoke; do
  all=$("$W" suite list "$SRC/suites/$suite.toml" --format names | sort)
  for n in 1 2 3 5 7; do
    got=$(for i in $(seq 0 $((n - 1))); do "$W" suite list "$SRC/suites/$suite.toml" --shard "$i/$n" --format names; done | sort)
    [ "$got" = "$all" ] || fail "$suite over $n shards does not cover every cell exactly once"
  done
  echo "$suite: $(echo "$all" | wc -l) cells, partitions of 1, 2, 3, 5, 7 shards exact"
done
"$W" suite shards "$SRC/suites/zoo-full.toml" --shards 4 | sed -n 2,7p

echo "== 2: split by shard and merged back"
sqlite3 "$ONE" ".backup a.db"
sqlite3 "$ONE" ".backup b.db"
cells_of() { "$W" suite list "$S" --shard "$1/2" --format names | sed "s/.*/'&'/" | paste -sd, -; }
sqlite3 a.db "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE suite || '/' || cell || '/' || seed NOT IN ($(cells_of 0))"
sqlite3 b.db "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE suite || '/' || cell || '/' || seed NOT IN ($(cells_of 1))"
na=$(sqlite3 a.db "SELECT COUNT(*) FROM runs") nb=$(sqlite3 b.db "SELECT COUNT(*) FROM runs")
[ "$na" -ge 1 ] && [ "$nb" -ge 1 ] || fail "a split holds no run ($na, $nb)"
"$W" db merge --out m.db b.db a.db
[ "$(dump m.db)" = "$(dump "$ONE")" ] || { diff <(dump m.db) <(dump "$ONE") | head -5; fail "merge of the split is not the database it was split from"; }
"$W" db merge --out m2.db a.db b.db --quiet
[ "$(dump m2.db)" = "$(dump "$ONE")" ] || fail "merge order changed the result"
"$W" compare --suite "$S" --golden "$G" --db m.db | grep -v '^database:' > cm.txt || true
"$W" compare --suite "$S" --golden "$G" --db "$ONE" | grep -v '^database:' > c1.txt || true
[ -s cm.txt ] && cmp -s cm.txt c1.txt || fail "compare on the merged file differs"
"$W" report --db m.db --out rm --suite "$S" --golden "$G" > /dev/null
"$W" report --db "$ONE" --out r1 --suite "$S" --golden "$G" > /dev/null
norm() { sed -e 's#report: [^<]*<#report: DB<#' -e 's#database <code>[^<]*</code> (schema \([0-9]*\), created [^)]*)#database DB (schema \1)#' "$1"; }
[ "$(norm rm/index.html)" = "$(norm r1/index.html)" ] || fail "report on the merged file differs"
echo "merged back: $na + $nb runs, every row and id equal; compare and report identical"

echo "== 3: idempotent"
before=$(dump m.db)
out=$("$W" db merge --out m.db a.db b.db a.db)
echo "$out"
echo "$out" | grep -q ": 0 runs added (0 rows), $((2 * na + nb)) already there" || fail "merging shards again added runs"
[ "$(dump m.db)" = "$before" ] || fail "merging shards again changed the output"

echo "== 4: two real shards"
"$W" run "$S" --shard 0/2 --db s0.db --quiet 2> /dev/null
"$W" run "$S" --shard 1/2 --db s1.db --quiet 2> /dev/null
"$W" db merge --out s.db s0.db s1.db
"$W" compare --suite "$S" --golden "$G" --db s.db | grep -v '^database:' > cs.txt || true
cmp -s cs.txt c1.txt || { diff cs.txt c1.txt | head; fail "compare on merged shards differs from one sequential database"; }
echo "compare on 2 merged shards = compare on one database"

echo "== 5: bad input"
expect2() {  # expect2 PATTERN ARGS...: exit 2, one line matching PATTERN, m.db unchanged, no temp file
  local pat=$1; shift
  local sum; sum=$(sha256sum m.db)
  set +e; "$W" db merge "$@" > out.txt 2> err.txt; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "exit $rc for $*, expected 2: $(cat err.txt)"
  [ "$(wc -l < err.txt)" = 1 ] || fail "not one line: $(cat err.txt)"
  grep -q -- "$pat" err.txt || fail "message '$(cat err.txt)' lacks '$pat'"
  [ "$(sha256sum m.db)" = "$sum" ] || fail "m.db changed on bad input"
  ! ls ./*.tmp > /dev/null 2>&1 || fail "temporary file left: $(ls ./*.tmp)"
  echo "exit 2: $(cat err.txt)"
}
sqlite3 a.db ".backup c.db"
sqlite3 c.db "UPDATE step_metrics SET value = value + 1 WHERE rowid IN (SELECT rowid FROM step_metrics LIMIT 1)" 2> /dev/null ||
  sqlite3 c.db "UPDATE step_metrics SET value = value + 1 WHERE (run, key, step) IN (SELECT run, key, step FROM step_metrics LIMIT 1)"
expect2 "m.db and c.db: run smoke/synth-micro/.* is recorded differently (its step_metrics rows differ)" --out m.db c.db
sqlite3 a.db ".backup old.db"
sqlite3 old.db "PRAGMA user_version = 3"
expect2 "a.db and old.db: schema versions differ (4 and 3)" --out m.db a.db old.db
echo "not a database" > junk.db
expect2 "junk.db" --out m.db junk.db
expect2 "nope.db: no such database file" --out m.db nope.db
expect2 "m.db: is the output too" --out m.db a.db m.db
echo "db_merge.sh: all checks passed"
