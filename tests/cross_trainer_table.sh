#!/usr/bin/env bash
# tests/cross_trainer_table.sh SOURCE_DIR: tools/cross_trainer_table.py on a golden against itself
# (every Welch t is 0: no claim differs), its t quantile against known values, one changed seed
# value flagged, a README without the markers exit 2 naming it, and the README's tables current.
set -euo pipefail
src=$1 t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
tool="$src/tools/cross_trainer_table.py" g="$src/golden/quick.toml"
python3 -c "import sys; sys.path.insert(0, '$src/tools'); import cross_trainer_table as c; q = c.t_quantile_two_sided
assert abs(q(0.01, 9) - 3.2498) < 1e-3 and abs(q(0.05, 24) - 2.0639) < 1e-3, (q(0.01, 9), q(0.05, 24))"
python3 "$tool" "$g" "$g" > "$t/same.md"
grep -q '^0 of 32 claims differ beyond noise' "$t/same.md" || { cat "$t/same.md"; exit 1; }
# ground truth's accuracy gain moved by +0.3 in every seed: that row, and only it, differs.
python3 - "$g" "$t/moved.toml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
i = s.index('metric = "accuracy"'); j = s.index("seed_values = [", i); k = s.index("]", j)
vals = [float(x) + 0.3 for x in s[j + 15:k].split(",")]
open(sys.argv[2], "w").write(s[:j + 15] + ", ".join(map(repr, vals)) + s[k:])
PY
python3 "$tool" "$g" "$t/moved.toml" > "$t/moved.md"
grep -q '^1 of 32 claims differ' "$t/moved.md" && grep -q '^| ground_truth: accuracy gain (points) .* | \*\*yes\*\* |$' "$t/moved.md" || { cat "$t/moved.md"; exit 1; }
printf 'no markers\n' > "$t/R.md"
if python3 "$tool" "$g" "$g" --readme "$t/R.md" 2> "$t/err"; then echo "a README without markers was accepted"; exit 1; fi
grep -q 'R.md: no' "$t/err"
# The README's cross-trainer tables are this tool's output from the committed goldens, byte for byte.
cp "$src/README.md" "$t/README.md"
python3 "$tool" "$src/golden/smoke.toml" "$src/golden/smoke-trl.toml" --readme "$t/README.md" --marker cross-trainer-smoke
if [ -f "$src/golden/quick-trl.toml" ]; then
  python3 "$tool" "$src/golden/quick.toml" "$src/golden/quick-trl.toml" --readme "$t/README.md" --marker cross-trainer
fi
cmp -s "$src/README.md" "$t/README.md" || { diff "$src/README.md" "$t/README.md" | head; echo "README's cross-trainer tables are stale: rerun tools/cross_trainer_table.py"; exit 1; }
echo "cross_trainer_table: same golden 0/32 differ, a moved claim flagged, missing markers exit 2"
