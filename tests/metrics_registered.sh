#!/usr/bin/env bash
# metrics_registered.sh RLVRBENCH DB: every step-metric key and eval metric a real run wrote (DB:
# the smoke suite's runs) is in the metric registry (`rlvrbench query metrics`, results/metric.h),
# logged where the registry says. A metric written under a new or renamed key fails here.
set -uo pipefail
W=$1 DB=$2
reg=$("$W" query metrics --db "$DB" --format csv) || { echo "FAIL: query metrics"; exit 1; }
fail=0 n=0
check() {  # check KEY COLUMN(eval|step)
  local col; [ "$2" = eval ] && col=2 || col=3
  local row; row=$(printf '%s\n' "$reg" | awk -F, -v k="$1" '$1 == k')
  [ -n "$row" ] || { echo "FAIL: '$1' ($2) is not in the metric registry"; fail=1; return; }
  [ "$(printf '%s' "$row" | cut -d, -f$col)" = 1 ] || { echo "FAIL: '$1' is logged per $2 but the registry says otherwise"; fail=1; }
  n=$((n + 1))
}
for k in $(sqlite3 -readonly "$DB" "SELECT DISTINCT key FROM step_metrics"); do check "$k" step; done
for k in $(sqlite3 -readonly "$DB" "SELECT DISTINCT metric FROM evals"); do check "$k" eval; done
[ $n -gt 20 ] || { echo "FAIL: only $n keys in $DB (no runs?)"; exit 1; }
[ $fail = 0 ] && echo "ok: $n logged keys, every one registered where it is logged"
exit $fail
