#!/usr/bin/env bash
# s7/finalize.sh: when s7/chain.sh has written golden/positive-control.toml, stop chain.sh before its
# mutant loop (the mutants and controls run later with --no-compare: README.md here, "session 7's
# second queue"), snapshot the database into its tracked file and apply the five pre-registered
# questions to the 12 golden seeds (tools/posctl_questions.py writes the README block).
set -euo pipefail
cd "$(dirname "$0")/../../.."
log=results/measure/s7/finalize.log
while [ ! -s golden/positive-control.toml ] || pgrep -f "golden update --suite suites/positive-control.toml" > /dev/null; do sleep 10; done
pkill -f "bash results/measure/s7/chain.sh" || true
sleep 2
# its mutant loop's run, and that run's training children (chain2.sh's are another process tree)
for p in $(pgrep -f "positive-control.toml --mutant"); do pkill -P "$p" || true; kill "$p" || true; done
echo "[$(date -u +%H:%M:%S)] golden written; chain.sh stopped" >> $log
sqlite3 results/posctl.db ".backup 'results/measure/db/posctl.db'"
python3 tools/posctl_questions.py --db results/measure/db/posctl.db --seeds 1-12 --rlvrbench results/bin-s7/rlvrbench \
  --readme README.md --name positive-control >> $log 2>&1
echo "[$(date -u +%H:%M:%S)] questions written into README.md" >> $log
