#!/usr/bin/env bash
# readers_never_write.sh RLVRBENCH SOURCE_DIR DB: the commands that judge or read (compare,
# power --no-train, report, query) leave a suite's results database byte-identical, and judge a
# read-only copy of it (file 0444 in a folder 0555, as a CI artifact arrives) with the same verdicts.
# DB holds the smoke suite's runs (CTest fixture run_jobs); it is copied, never touched.
set -uo pipefail
W=$1 SRC=$2 DB=$3
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
S=$SRC/suites/smoke.toml G=$SRC/golden/smoke.toml
mkdir -p "$tmp/w" "$tmp/ro"
sqlite3 "$DB" ".backup '$tmp/w/results.db'" || fail "cannot copy $DB"
cp "$tmp/w/results.db" "$tmp/ro/results.db"
chmod 0444 "$tmp/ro/results.db"; chmod 0555 "$tmp/ro"

# readers DBFILE TAG: every reading command on DBFILE; outputs (with the path made neutral) and
# exit statuses into $tmp/TAG.*
readers() {
  local db=$1 tag=$2
  { "$W" compare --suite "$S" --golden "$G" --db "$db"; echo "rc $?"; } > "$tmp/$tag.compare" 2>&1
  { "$W" compare --suite "$S" --golden "$G" --db "$db" --format json; echo "rc $?"; } > "$tmp/$tag.compare_json" 2>&1
  { "$W" power "$S" --no-train --seeds 990 --control-seeds 990 --db "$db" --format json; echo "rc $?"; } 2>/dev/null |
    grep -v '"wall_s"' > "$tmp/$tag.power"
  { "$W" query cells --db "$db"; echo "rc $?"; } > "$tmp/$tag.query" 2>&1
  { "$W" query gains --db "$db" --format csv; echo "rc $?"; } > "$tmp/$tag.gains" 2>&1
  { "$W" query --sql "SELECT status, count(*) FROM runs GROUP BY status" --db "$db"; echo "rc $?"; } > "$tmp/$tag.sql" 2>&1
  { "$W" report --db "$db" --out "$tmp/report-$tag" --suite "$S" --golden "$G" > /dev/null; echo "rc $?"; } > "$tmp/$tag.report" 2>&1
  sed -i "s#$db#DB#g" "$tmp/$tag".*
}

before=$(sha256sum < "$tmp/w/results.db")
readers "$tmp/w/results.db" w
[ "$(sha256sum < "$tmp/w/results.db")" = "$before" ] || fail "a reader changed the database file"
grep -q "^rc 0$" "$tmp/w.compare" || { cat "$tmp/w.compare"; fail "compare of the smoke runs did not pass"; }
for f in query gains sql report; do grep -q "^rc 0$" "$tmp/w.$f" || { cat "$tmp/w.$f"; fail "$f failed on the copy"; }; done
grep -q '"mutants"' "$tmp/w.power" || { cat "$tmp/w.power"; fail "power --no-train printed no verdicts"; }
echo "ok: compare, power --no-train, query (cells, gains, --sql) and report leave the file byte-identical"

readers "$tmp/ro/results.db" ro
[ "$(sha256sum < "$tmp/ro/results.db")" = "$before" ] || fail "the read-only copy changed"
[ -z "$(ls -A "$tmp/ro" | grep -v '^results.db$')" ] || fail "files left beside the read-only copy: $(ls -A "$tmp/ro")"
for f in compare compare_json power query gains sql; do
  cmp -s "$tmp/w.$f" "$tmp/ro.$f" || { diff "$tmp/w.$f" "$tmp/ro.$f" | head; fail "$f on the read-only copy differs from the writable one"; }
done
grep -q "^rc 0$" "$tmp/ro.report" || { cat "$tmp/ro.report"; fail "report failed on the read-only copy"; }
echo "ok: a read-only copy (0444 in a 0555 folder) is judged with the same output and exit status, nothing written beside it"
