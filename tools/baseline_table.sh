#!/usr/bin/env bash
# tools/baseline_table.sh DB [README]: suites/baseline.toml's step-0 accuracy per model and template
# as markdown, with each model's spread; with README, written between its
# <!-- results:baseline:begin --> and <!-- results:baseline:end --> markers (never typed).
set -euo pipefail
db=$1
table=$( {
  echo "Step-0 greedy accuracy (%) on 200 eval problems, from \`$db\` (suite baseline, seed 1):"
  echo
  echo "| model | qwen-math | qwen | r1 | plain | spread (points) |"
  echo "|---|---|---|---|---|---|"
  sqlite3 -readonly -separator ' | ' "$db" "
    WITH v AS (SELECT r.model, substr(r.cell, instr(r.cell, '/') + 10) AS t, e.value * 100 AS a
               FROM evals e JOIN runs r ON r.id = e.run
               WHERE e.metric = 'accuracy' AND e.step = 0 AND r.suite = 'baseline' AND r.status = 'finished' AND r.mutant = '')
    SELECT '| ' || model, printf('%.1f', MAX(CASE WHEN t = 'qwen-math' THEN a END)), printf('%.1f', MAX(CASE WHEN t = 'qwen' THEN a END)),
           printf('%.1f', MAX(CASE WHEN t = 'r1' THEN a END)), printf('%.1f', MAX(CASE WHEN t = 'plain' THEN a END)),
           printf('%.1f |', MAX(a) - MIN(a))
    FROM v GROUP BY model ORDER BY model;"
} )
if [ $# -lt 2 ]; then echo "$table"; exit 0; fi
readme=$2
grep -q '<!-- results:baseline:begin -->' "$readme" || { echo "baseline_table: $readme: no <!-- results:baseline:begin --> marker" >&2; exit 2; }
awk -v table="$table" '
  /<!-- results:baseline:begin -->/ { print; print table; skip = 1; next }
  /<!-- results:baseline:end -->/ { skip = 0 }
  !skip { print }' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
