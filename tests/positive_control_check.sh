#!/usr/bin/env bash
# positive_control_check.sh RLVRBENCH SOURCE ZOO: the positive-control suite's CI check (issue 34,
# item 5: <= 5 minutes). Its golden takes hours; this proves, on small inputs, that what it runs
# still runs and still means what the suite says:
#   - synth-micro-mech builds (cached in ZOO) and its planted prior holds (`zoo inspect` exit 0:
#     every block's measured propensity within tolerance, so greedy takes prose on the boundary);
#   - every cell of suites/positive-control.toml trains 2 steps on seeds 1-2 at 8 prompts,
#     finishes, and stores its evaluations; tools/posctl_questions.py answers all five questions
#     from them (and a missing database is exit 2);
#   - the python cell is rewarded for code only, and the isolation arm trains only the first 3
#     tokens: its policy moves differently from random0.5's (approx_kl at step 2 differs) while the
#     two share every random stream;
#   - the isolation arm named by its strategy tokens (train.loss_through_tokens) trains the same as
#     the first 3 tokens; a text that is not one token, or a count the responses cannot hold, is
#     exit 2 naming the key.
# No claim is judged here.
set -euo pipefail
bin=$1 src=$2
export RLVRBENCH_ZOO=$3
suite="$src/suites/positive-control.toml"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

"$bin" zoo build --only synth-micro-mech --jobs 1 --quiet   # a cache hit under CTest (fixture zoo/build_micro_mech)
"$bin" zoo inspect synth-micro-mech > "$d/inspect.txt" || { cat "$d/inspect.txt"; echo "synth-micro-mech misses its planted prior"; exit 1; }
grep -E 'code_propensity@' "$d/inspect.txt"

"$bin" run "$suite" --check
"$bin" run "$suite" --seeds 1,2 --set train.steps=2 --set train.prompts_per_rollout=8 --set eval.every=2 \
  --set data.eval_limit=50 --db "$d/pc.db" --no-compare --quiet
q() { sqlite3 "$d/pc.db" "$1"; }
test "$(q "SELECT COUNT(*) FROM runs WHERE status = 'finished'")" = 12
test "$(q "SELECT COUNT(DISTINCT run) FROM evals WHERE step = 2 AND metric = 'accuracy'")" = 12
kl() { q "SELECT printf('%.9g', value) FROM step_metrics JOIN runs ON runs.id = step_metrics.run WHERE runs.cell LIKE '%/$1' AND seed = 1 AND key = 'approx_kl' AND step = 2"; }
echo "approx_kl at step 2: random0.5 $(kl random0.5), random0.5-iso $(kl random0.5-iso)"
test "$(kl random0.5)" != "$(kl random0.5-iso)"
# The python reward (both python cells) pays code responses, and only them: its mean reward at a step is the rollout's
# code frequency (the paper's detector: "python" in the text).
q "SELECT r.value, c.value FROM step_metrics r JOIN step_metrics c ON c.run = r.run AND c.step = r.step
   JOIN runs ON runs.id = r.run WHERE runs.cell LIKE '%/python%' AND r.key = 'reward_mean' AND c.key = 'code_frequency'" |
  awk -F'|' '{ print "python: reward", $1, "code", $2; if ($1 - $2 > 1e-9 || $2 - $1 > 1e-9) bad = 1 } END { exit bad }'

python3 "$src/tools/posctl_questions.py" --db "$d/pc.db" --seeds 1-2 --early 1 --late 2 --rlvrbench "$bin" > "$d/q.md"
cat "$d/q.md"
for n in 1 2 3 4 5; do grep -q "^| $n\. " "$d/q.md"; done
grep -q "^| 1b\. " "$d/q.md"
test "$(grep -c '^| 3\. \|^| 5\. ' "$d/q.md")" = 5
if python3 "$src/tools/posctl_questions.py" --db "$d/none.db" --seeds 1-2 2> "$d/err"; then exit 1; else test $? = 2; fi
grep -q 'none.db: no such database' "$d/err"

# The isolation arm by name: the strategy tokens " solve" / " compute" are the 3rd token of every
# response that opens "Let's ...", so naming them trains the same arm as the first 3 tokens.
small=(--seeds 1 --set train.steps=2 --set train.prompts_per_rollout=8 --set eval.every=2 --set data.eval_limit=50 --no-compare --quiet)
"$bin" run "$suite" --only reward=random0.5-iso "${small[@]}" --set train.loss_first_tokens=0 \
  --set "train.loss_through_tokens= solve| compute" --db "$d/through.db"
kl_through=$(sqlite3 "$d/through.db" "SELECT printf('%.9g', value) FROM step_metrics WHERE key = 'approx_kl' AND step = 2")
echo "approx_kl at step 2: first 3 tokens $(kl random0.5-iso), through the strategy token $kl_through"
test "$kl_through" = "$(kl random0.5-iso)"
set +e
"$bin" run "$suite" --only reward=random0.5-iso "${small[@]}" --set train.loss_first_tokens=0 \
  --set "train.loss_through_tokens= solve|zqxj" --db "$d/bad.db" 2> "$d/err"
rc=$?
set -e
cat "$d/err"
test $rc = 2
grep -q "train.loss_through_tokens: 'zqxj' is not one token of .*synth-micro-mech's tokenizer (it encodes to [0-9]*)" "$d/err"
test "$(sqlite3 "$d/bad.db" "SELECT COUNT(*) FROM runs" 2>/dev/null || echo 0)" = 0

out=$("$bin" run "$suite" --set train.loss_first_tokens=129 --check 2>&1 || true)
echo "$out" | grep -q 'train.loss_first_tokens: must be in \[0, train.max_response_len\]'
echo "positive-control check: PASS"
