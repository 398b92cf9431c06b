#!/usr/bin/env bash
# tests/readme_results_tables.sh SOURCE_DIR RLVRBENCH PYTHON
# The measured tables that have their data in the repository are what their tools write from it,
# byte for byte: generated from committed data, never typed. Each tool rewrites its block in a copy
# of README.md / results/measure/README.md, next to the tracked databases (results/measure/db/*.db.xz)
# unpacked under the same relative paths the blocks name; any difference from the committed file
# is a stale or typed table. Blocks whose database was lost (older goldens) are not covered.
set -u
src=$1 bin=$2 py=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/results/measure/db"
cp "$src/README.md" "$tmp/README.md"
cp "$src/results/measure/README.md" "$tmp/results/measure/README.md"
for x in "$src"/results/measure/db/*.db.xz; do
  xz -dc "$x" > "$tmp/results/measure/db/$(basename "$x" .xz)" || { echo "$x: cannot unpack"; exit 2; }
done
cd "$tmp" || exit 2
M=results/measure/README.md RM=results/measure/db/stack2-regime-map.db MD=results/measure/db/stack2-mechanism.db
fails=0
gen() { "$@" > /dev/null 2> err.txt || { echo "failed: $* ($(head -c 300 err.txt))"; fails=$((fails + 1)); }; }
gen "$py" "$src/tools/map_table.py" --db $RM --readme $M --name regime-map-stack2
gen "$py" "$src/tools/map_moves.py" --old $M --old-name regime-map --db $RM --readme $M --name regime-map-moves
gen "$py" "$src/tools/decompose_table.py" --db $RM --suite regime-map --rlvrbench "$bin" --readme $M --name decompose-regime-map
gen "$py" "$src/tools/readme_results.py" --bin "$bin" --db $MD --suite "$src/suites/mechanism.toml" \
  --golden "$src/golden/mechanism.toml" --golden-seeds 4,5,6,7,8,9,10,11,12,13,24,25,26,27,28,29,30,31,32,33 \
  --seeds 34,35,36,37,38,39,40,41 --control-seeds 100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115 \
  --group 8 --readme README.md
gen "$py" "$src/tools/posctl_questions.py" --db results/measure/db/posctl.db --seeds 1-12 --rlvrbench "$bin" \
  --readme README.md --name positive-control
# The positive control's power block, once s8/judge_posctl.sh has written it (empty until every run has finished).
if sed -n '/<!-- results:positive-control-power:begin -->/,/<!-- results:positive-control-power:end -->/p' README.md | grep -q '^|'; then
  gen "$py" "$src/tools/readme_results.py" --bin "$bin" --db results/measure/db/posctl.db --suite "$src/suites/positive-control.toml" \
    --golden "$src/golden/positive-control.toml" --golden-seeds 1,2,3,4,5,6,7,8,9,10,11,12 --seeds 34,35,36,37 \
    --control-seeds 100,101,102,103,104,105,106,107,108,109,110,111 --group 4 --power-only --block positive-control-power \
    --readme README.md
fi
for f in README.md $M; do
  if diff -u "$src/$f" "$f" > diff.txt; then echo "$f: its regenerated blocks are byte-identical"
  else echo "$f: a block is stale or typed:"; head -40 diff.txt; fails=$((fails + 1)); fi
done
[ $fails = 0 ]
