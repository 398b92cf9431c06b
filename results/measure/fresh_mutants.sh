#!/usr/bin/env bash
# fresh_mutants.sh: quick's 8 named mutants on seeds 41-43, never used for any choice (README.md
# here, "session 4"), one cell at a time (--jobs 1: the other core stays free). Checks first that
# results/bin-ladder makes the same bits as the golden's binary (results/bin-stack2) on one stored
# control cell; resumable. Log results/heldout/fresh_mutants.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
DB=results/stack2-quick.db
B=results/bin-ladder/rlvrbench
mkdir -p results/heldout
scratch=results/heldout/bitcheck.db
if [ ! -f results/heldout/bitcheck.ok ]; then
  rm -f "$scratch"*
  $B run suites/quick.toml --only reward=ground_truth --seeds 41 --no-compare --quiet --db "$scratch"
  w="r.suite='quick' AND r.mutant='' AND r.seed=41 AND r.cell='synth-micro/ground_truth' AND r.status='finished'"
  q="SELECT m.step, m.key, printf('%.17g', m.value) FROM step_metrics m JOIN runs r ON r.id = m.run
     WHERE $w AND m.key NOT LIKE '%seconds%' AND m.key NOT LIKE '%per_s%' ORDER BY 1,2"
  e="SELECT e.step, e.dataset, e.metric, printf('%.17g', e.value) FROM evals e JOIN runs r ON r.id = e.run
     WHERE $w ORDER BY 1,2,3"
  a=$( (sqlite3 "$DB" "$q"; sqlite3 "$DB" "$e") | sha256sum); b=$( (sqlite3 "$scratch" "$q"; sqlite3 "$scratch" "$e") | sha256sum)
  echo "bit check: stored $a, bin-ladder $b" >> results/heldout/fresh_mutants.log
  if [ "$a" = "$b" ]; then touch results/heldout/bitcheck.ok; else B=results/bin-stack2/rlvrbench; fi
fi
for m in clip-off one-update lr-div10 inverse-reward no-group-norm temperature-0.7 bug-ratio-current bug-clip-max; do
  echo "[$(date -u +%H:%M:%S)] mutant $m on 41-43 by $B" >> results/heldout/fresh_mutants.log
  $B run suites/quick.toml --mutant "$m" --seeds 41,42,43 --jobs 1 --resume --quiet --db "$DB" \
    2>> results/heldout/fresh_mutants.log
done
echo "[$(date -u +%H:%M:%S)] done" >> results/heldout/fresh_mutants.log
