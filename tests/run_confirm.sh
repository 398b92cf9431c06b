#!/usr/bin/env bash
# run_confirm.sh RLVRBENCH SOURCE ZOO: sequential confirmation (suites/README.md, confirm seeds).
# A golden the real runs cannot meet (19 seeds claiming a +80-point gain) flags the nightly seed;
# `run` then trains the suite's confirm seed and judges both seeds together (still a REGRESSION,
# on 2 seeds); `compare --confirm` judges the same; `--no-confirm` and a suite without confirm
# seeds do not confirm.
set -euo pipefail
bin=$1 src=$2
export RLVRBENCH_ZOO=$3
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
{ echo 'name = "smoke-confirm"'; sed 's/^timeout_s = .*/timeout_s = 600/' "$src/suites/smoke.toml"; printf '\n[seed_ranges]\nconfirm = [300, 300]\n'; } > "$d/s.toml"
vals=$(python3 -c 'print(", ".join(str(round(0.80 + 0.001 * i, 3)) for i in range(19)))')
cat > "$d/g.toml" <<TOML
suite = "smoke-confirm"
dataset = "synth-eval"
alpha = 0.05
[provenance]
source = "measured"
date = "2026-12-07"
platform = "test"
commit = "0000000"
seeds = [$(seq -s, 1001 1019 | sed 's/,/, /g')]
statistic = "seed-permutation-max"
statistic_version = 3
[[cell]]
model = "synth-micro"
reward = "ground_truth"
metric = "accuracy"
step = 8
baseline = 0.1
gain = 0.809
sd_seed = 0.00563
seed_values = [$vals]
seed_se = [$(python3 -c 'print(", ".join(["0.01"] * 19))')]
TOML
set +e
"$bin" run "$d/s.toml" --only reward=ground_truth --golden "$d/g.toml" --db "$d/r.db" --quiet > "$d/out.txt" 2> "$d/err.txt"
rc=$?
set -e
cat "$d/out.txt"
[ "$rc" = 1 ] || { echo "run: exit $rc, expected 1"; cat "$d/err.txt"; exit 1; }
grep -q "a claim was flagged; confirming on seeds 300-300" "$d/err.txt"
grep -q "^first judgement, on the run's seeds" "$d/out.txt"
# The confirmed table judges 2 seeds (1 and 300).
grep -Eq "^REGRESSION +synth-micro/ground_truth accuracy +8 +2 " "$d/out.txt"
out=$("$bin" compare --suite "$d/s.toml" --golden "$d/g.toml" --db "$d/r.db" --confirm || true)
echo "$out" | grep -Eq "^REGRESSION +synth-micro/ground_truth accuracy +8 +2 "
out=$("$bin" compare --suite "$d/s.toml" --golden "$d/g.toml" --db "$d/r.db" || true)
echo "$out" | grep -Eq "^REGRESSION +synth-micro/ground_truth accuracy +8 +1 "
set +e
"$bin" run "$d/s.toml" --only reward=ground_truth --golden "$d/g.toml" --db "$d/r.db" --quiet --no-confirm > "$d/out2.txt" 2> "$d/err2.txt"
set -e
! grep -q "confirming" "$d/err2.txt"
# A flagged compare --confirm on a suite that declares no confirm seeds: exit 2 naming the flag.
sed '/^\[seed_ranges\]/,$d' "$d/s.toml" > "$d/s2.toml"
set +e
out=$("$bin" compare --suite "$d/s2.toml" --golden "$d/g.toml" --db "$d/r.db" --confirm 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] && echo "$out" | grep -q -- "--confirm: .*s2.toml declares no seed_ranges.confirm"
echo "confirm: ok"
