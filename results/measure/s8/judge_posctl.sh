#!/usr/bin/env bash
# s8/judge_posctl.sh: the positive control's power, judged once, as pre-registered in session 6
# (results/measure/README.md: held-out control 100-111 as 3 runs of 4), session 7 (`power ... --group 4
# --no-train`, nothing judged before every run has finished) and session 8's amendment (each mutant
# on seeds 34-37, one run of 4). Refuses (exit 1) while s7/chain3.sh or s8/mut37.sh has not logged
# "done"; refuses to judge twice (the output file exists).
# Writes s8/power-posctl.txt and the README's results:positive-control-power block.
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=${B:-results/bin-s7/rlvrbench}
DB=${DB:-results/posctl.db}
OUT=results/measure/s8/power-posctl.txt
for q in s7/chain3 s8/mut37; do
  grep -q "\] done$" results/measure/$q.log 2>/dev/null || { echo "judge_posctl: $q.sh has not finished" >&2; exit 1; }
done
[ ! -e $OUT ] || { echo "judge_posctl: $OUT exists: judged already" >&2; exit 1; }
CONTROL=$(seq -s, 100 111)
$B power suites/positive-control.toml --seeds 34,35,36,37 --control-seeds "$CONTROL" --group 4 --no-train --db "$DB" > $OUT
cat $OUT
python3 tools/readme_results.py --bin "$B" --db "$DB" --suite suites/positive-control.toml \
  --golden golden/positive-control.toml --golden-seeds "$(seq -s, 1 12)" --seeds 34,35,36,37 \
  --control-seeds "$CONTROL" --group 4 --power-only --block positive-control-power --readme README.md
