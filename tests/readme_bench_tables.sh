#!/usr/bin/env bash
# tests/readme_bench_tables.sh SOURCE_DIR PYTHON
# The README's benchmark tables (<!-- bench:step -->, <!-- bench:tokenizer --> and <!-- bench:trl --> blocks) are what
# tools/bench_table.py writes from the committed JSON each block names on its first line, byte for
# byte: generated from committed data, never typed.
set -u
src=$1 py=$2
cd "$src" || exit 2
fails=0
for b in step tokenizer trl; do
  block=$(sed -n "/<!-- bench:$b:begin -->/,/<!-- bench:$b:end -->/p" README.md | sed '1d;$d')
  json=$(head -1 <<<"$block" | grep -o '^`[^`]*`' | tr -d '`')
  if [ -z "$json" ]; then echo "README.md: no bench:$b block naming its JSON"; fails=$((fails + 1)); continue; fi
  if diff <(printf '%s\n' "$block") <("$py" tools/bench_table.py "$json"); then
    echo "bench:$b is tools/bench_table.py $json"
  else
    echo "README.md: the bench:$b table is stale or typed: run tools/bench_table.py $json --readme README.md"
    fails=$((fails + 1))
  fi
done
[ $fails = 0 ]
