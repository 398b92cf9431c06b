#!/usr/bin/env bash
# tail_df.sh: leave-one-out false alarms of the quick golden's 25 seeds, for a choice of the
# reference t-distribution's df (golden update writes df = min(seeds - 1, kGoldenTailDf)). For
# each golden seed s: the golden measured on the other 24 seeds, then s judged against it as a
# fresh control seed (`rlvrbench power --no-train`). Prints, per df, the seeds with a false alarm.
# Uses only the golden's own seeds (the 10 control seeds stay unseen for the final check).
#   bash results/measure/tail_df.sh [DB] [DF...]
set -euo pipefail
cd "$(dirname "$0")/../.."
B=build/app/rlvrbench
DB=${1:-results/quick-measure.db}
shift || true
DFS=${*:-24 12 8 5}
T=$(mktemp -d)
for s in $(seq 1 25); do
  others=$(seq 1 25 | grep -vx "$s" | paste -sd,)
  $B golden update --suite suites/quick.toml --golden "$T/loo-$s.toml" --seeds "$others" --db "$DB" > /dev/null 2>&1
done
for df in $DFS; do
  alarms=""
  for s in $(seq 1 25); do
    sed -E "s/^df = 23\.0$/df = $df.0/" "$T/loo-$s.toml" > "$T/g.toml"
    out=$($B power suites/quick.toml --golden "$T/g.toml" --seeds "$s" --control-seeds "$s" --no-train --db "$DB" 2>&1 || true)
    n=$(echo "$out" | sed -n 's/^control (no mutant): \([0-9]*\) of .*/\1/p')
    [ "${n:-0}" != "0" ] && alarms="$alarms $s($(echo "$out" | grep -E "^  seed" | sed 's/^  seed [0-9]*: //' | paste -sd';'))"
  done
  echo "df=$df: LOO seeds with a false alarm:${alarms:- none}"
done
rm -rf "$T"
