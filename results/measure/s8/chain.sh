#!/usr/bin/env bash
# s8/chain.sh: after s7/chain2.sh (mechanism's power runs, the regime map), re-measure mechanism's
# 20 golden seeds (4-13, 24-33; 120 cells) by results/bin-s7 into results/stack2-mechanism.db, then
# go on with s7/chain3.sh (the positive control's mutants and held-out controls). Why: the database
# that held the golden's runs was lost with session 6, so the README's mechanism block could no
# longer be regenerated from data. Rule written before the runs (results/measure/README.md, session
# 8): every seed's value of every claim must equal the golden's stored value
# (tools/golden_seed_equal.py, seed by seed); only then is the README's mechanism block regenerated
# from this database, with the power table. A difference is reported as it is, and the block stays.
set -euo pipefail
cd "$(dirname "$0")/../../.."
B=$PWD/results/bin-s7/rlvrbench
export RLVRBENCH_ZOO=$PWD/results/zoo-s7
log=results/measure/s8/chain.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> $log; }
source results/measure/s7/keep.sh
MDB=$PWD/results/stack2-mechanism.db
keep_start "$MDB" results/measure/db/stack2-mechanism.db >> $log
while pgrep -f "bash results/measure/s7/chain2.sh" > /dev/null; do sleep 30; done
SEEDS=4,5,6,7,8,9,10,11,12,13,24,25,26,27,28,29,30,31,32,33
say "mechanism golden seeds $SEEDS"
$B run suites/mechanism.toml --seeds $SEEDS --jobs 2 --resume --no-compare --quiet --db "$MDB" >> $log 2>&1
G=results/measure/s8/mech-golden-remeasured.toml
rm -f $G
$B golden update --suite suites/mechanism.toml --golden $G --seeds $SEEDS --db "$MDB" >> $log 2>&1
n_eq=0; n_diff=0
for s in ${SEEDS//,/ }; do
  if python3 tools/golden_seed_equal.py golden/mechanism.toml $G --seed $s >> $log 2>&1; then n_eq=$((n_eq+1)); else n_diff=$((n_diff+1)); fi
done
say "golden seeds equal: $n_eq, different: $n_diff"
keep_snapshot "$MDB" results/measure/db/stack2-mechanism.db
say "positive control: s7/chain3.sh"
bash results/measure/s7/chain3.sh
say "done"
