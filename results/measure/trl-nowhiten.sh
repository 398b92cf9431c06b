#!/usr/bin/env bash
# trl-nowhiten.sh: why quick's claims differ between rlvrbench and TRL (README, "Another trainer:
# TRL"): rlvrbench's quick cells random0.5-noclip and format on seeds 1-10 with train.batch_whiten =
# false (TRL does not whiten), beside rlvrbench's whitened runs and TRL's runs of the same seeds.
# An explanation, not a verdict: nothing is judged by it. Prints trl-nowhiten.txt's table.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-results/bin-trl/rlvrbench}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2
if [ "${RUN:-0}" = 1 ]; then
  for r in random0.5-noclip format; do
    $B run suites/quick.toml --only reward=$r --seeds 1,2,3,4,5,6,7,8,9,10 --set train.batch_whiten=false \
      --resume --no-compare --quiet --db results/nowhiten-quick.db
  done
fi
seeds="r.seed BETWEEN 1 AND 10 AND r.mutant = '' AND r.status = 'finished'"
gain() { sqlite3 "$1" "SELECT printf('%+.1f', 100 * AVG(f - b)) FROM (SELECT MAX(CASE WHEN e.step = 30 THEN e.value END) f,
  MAX(CASE WHEN e.step = 0 THEN e.value END) b FROM evals e JOIN runs r ON r.id = e.run WHERE r.cell = '$2' AND $seeds
  AND e.metric = 'accuracy' AND e.dataset = 'synth-eval' GROUP BY r.seed)"; }
geo() { sqlite3 "$1" "SELECT printf('%.3g', EXP(AVG(LN(v)))) FROM (SELECT AVG(m.value) v FROM step_metrics m JOIN runs r ON r.id = m.run
  WHERE r.cell = '$2' AND $seeds AND m.key = '$3' AND m.step BETWEEN 1 AND 30 GROUP BY r.seed)"; }
mean() { sqlite3 "$1" "SELECT printf('%.3f', AVG(v)) FROM (SELECT AVG(m.value) v FROM step_metrics m JOIN runs r ON r.id = m.run
  WHERE r.cell = '$2' AND $seeds AND m.key = '$3' AND m.step BETWEEN 1 AND 30 GROUP BY r.seed)"; }
W=results/stack2-quick.db N=results/nowhiten-quick.db T=results/trl.db
echo "| seeds 1-10 | rlvrbench (whitened, the golden's runs) | rlvrbench, batch_whiten = false | TRL |"
echo "|---|---|---|---|"
c=synth-micro/random0.5-noclip
echo "| random0.5-noclip: accuracy gain (points) | $(gain $W $c) | $(gain $N $c) | $(gain $T $c) |"
echo "| random0.5-noclip: approx_kl (geometric mean) | $(geo $W $c approx_kl) | $(geo $N $c approx_kl) | $(geo $T $c approx_kl) |"
c=synth-micro/format
echo "| format: clip_frac (geometric mean) | $(geo $W $c clip_frac) | $(geo $N $c clip_frac) | $(geo $T $c clip_frac) |"
echo "| format: adv_zero_frac | $(mean $W $c adv_zero_frac) | $(mean $N $c adv_zero_frac) | $(mean $T $c adv_zero_frac) |"
