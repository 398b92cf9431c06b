#!/usr/bin/env bash
# s6_chain2.sh: after s6_chain.sh, mechanism's power against its v3 golden (issue 30: "re-judge power
# on fresh seeds"; README.md here, "session 6, mechanism's power", pre-registered): the 6 mutants on
# mutant seeds 34-41 (one run of 8 each) and the held-out control seeds 100-115 (two runs of 8), by
# the binary of the golden's runs (results/bin-mech, clean 33068f1) on the zoo of those runs
# (results/zoo-stack2), from the suite file as of 33068f1 (which that binary reads; its training
# keys and mutants are today's). Resumable; judged once, later, by `power --group 8 --no-train`.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=$PWD/results/bin-mech/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
DB=$PWD/results/stack2-mechanism.db
log=results/measure/s6/chain2.log
mkdir -p results/measure/s6
S=results/measure/s6/mechanism.toml   # named mechanism.toml: the suite's name is its file's stem
git show 33068f1:suites/mechanism.toml > "$S"
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
while pgrep -f "bash results/measure/s6_chain.sh" > /dev/null; do sleep 60; done
for m in clip-off one-update lr-div10 inverse-reward temperature-0.7 bug-clip-max; do
  say "mechanism mutant $m on 34-41"
  $B run "$S" --mutant "$m" --seeds "$(seq -s, 34 41)" --jobs 2 --resume --quiet --db "$DB" >> $log 2>&1
done
say "mechanism held-out control 100-115"
$B run "$S" --seeds "$(seq -s, 100 115)" --jobs 2 --resume --no-compare --quiet --db "$DB" >> $log 2>&1
say "done"
