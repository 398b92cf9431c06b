#!/usr/bin/env bash
# same_runs.sh A.db B.db: exit 0 when every finished run of A has a run of the same cell and seed in
# B with the same config, the same step metrics (timing keys excepted) and the same eval rows and
# items, value for value (SQLite's own text of each double: 17 significant digits); else print the
# first difference and exit 1. Deletes nothing; reads both with sqlite3 -readonly.
set -euo pipefail
a=$1 b=$2
dump() {
  sqlite3 -readonly "$1" <<'SQL'
.mode list
SELECT 'run', r.cell, r.seed, r.config_toml FROM runs r WHERE r.status = 'finished' ORDER BY r.cell, r.seed;
SELECT 'm', r.cell, r.seed, m.step, m.key, printf('%.17g', m.value) FROM step_metrics m JOIN runs r ON r.id = m.run
  WHERE r.status = 'finished' AND m.key NOT GLOB '*_per_s' AND m.key NOT GLOB '*_seconds'
  ORDER BY r.cell, r.seed, m.step, m.key;
SELECT 'e', r.cell, r.seed, e.step, e.dataset, e.metric, printf('%.17g', e.value) FROM evals e JOIN runs r ON r.id = e.run
  WHERE r.status = 'finished' ORDER BY r.cell, r.seed, e.step, e.dataset, e.metric;
SELECT 'i', r.cell, r.seed, i.step, i.dataset, i.problem_id, i.sample, i.correct, i.has_code, i.extracted FROM eval_items i
  JOIN runs r ON r.id = i.run WHERE r.status = 'finished' ORDER BY r.cell, r.seed, i.step, i.dataset, i.problem_id, i.sample;
SQL
}
da=$(mktemp) db=$(mktemp)
trap 'rm -f "$da" "$db"' EXIT
dump "$a" > "$da"
dump "$b" > "$db"
if [ ! -s "$da" ]; then echo "same_runs: $a has no finished run" >&2; exit 1; fi
if ! diff -q "$da" "$db" > /dev/null; then
  echo "same_runs: $a and $b differ; first difference:" >&2
  { diff "$da" "$db" || true; } | head -5 >&2 || true
  exit 1
fi
echo "same_runs: $(grep -c '^run|' "$da") runs, $(wc -l < "$da") rows identical"
