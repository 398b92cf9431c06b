#!/usr/bin/env bash
# tests/trl_runner_bad_input.sh PYTHON SOURCE_DIR RLVRBENCH: tools/trl_runner.py maps a good cell
# config through docs/other-trainers.md's TRL key table (--check: exit 0, TRL's keys printed), and
# refuses what TRL cannot be told with exit 2 and one line naming the config file and the key: a
# value the table does not allow, a key the table does not name, a malformed TOML, a seed that is
# not the config's, a rollout the updates do not divide. Nothing is trained (--check).
set -uo pipefail
py=$1 src=$2 bin=$3
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
good="$src/tests/data/trl/config.toml"
fail() { echo "FAIL: $*"; exit 1; }
run() { "$py" "$src/tools/trl_runner.py" --config "$1" --seed "${2:-1}" --out "$w/o.jsonl" --rlvrbench "$bin" --check > "$w/out" 2> "$w/err"; echo $?; }
expect2() {  # NAME CONFIG SEED PATTERN
  local rc; rc=$(run "$2" "$3")
  [ "$rc" = 2 ] || fail "$1: exit $rc, expected 2 ($(cat "$w/err"))"
  [ "$(wc -l < "$w/err")" = 1 ] || fail "$1: expected one line, got: $(cat "$w/err")"
  grep -q -- "$4" "$w/err" || fail "$1: '$(cat "$w/err")' does not match '$4'"
  [ ! -e "$w/o.jsonl" ] || fail "$1: a run file was written"
  echo "ok: $1: $(cat "$w/err")"
}
rc=$(run "$good" 1); [ "$rc" = 0 ] || fail "the good config: exit $rc: $(cat "$w/err")"
grep -q '"loss_type": "grpo"' "$w/out" && grep -q '"steps_per_generation": 4' "$w/out" || fail "the good config's TRL keys: $(cat "$w/out")"
echo "ok: the good config maps ($(grep -c '": ' "$w/out") lines)"
sed "s/^bug = 'none'/bug = 'clip-max'/" "$good" > "$w/bug.toml"
expect2 "a value TRL cannot express" "$w/bug.toml" 1 "bug.toml: train.bug = 'clip-max': TRL cannot express it"
sed "s/^unclipped = 'ratio'/unclipped = 'pi'/" "$good" > "$w/pi.toml"
expect2 "the no-clip pi ablation" "$w/pi.toml" 1 "pi.toml: train.unclipped = 'pi'"
sed "s/^\[train\]/[train]\nnew_knob = 3/" "$good" > "$w/key.toml"
expect2 "a key the table does not name" "$w/key.toml" 1 "key.toml: train.new_knob: not in docs/other-trainers.md's TRL key table"
printf '[train\nlr = 1\n' > "$w/broken.toml"
expect2 "malformed TOML" "$w/broken.toml" 1 "broken.toml: "
expect2 "another seed" "$good" 7 "config.toml: run.seed = 1, but --seed 7"
sed "s/^updates_per_rollout = 4/updates_per_rollout = 5/" "$good" > "$w/div.toml"
expect2 "updates that do not divide the rollout" "$w/div.toml" 1 "div.toml: train.updates_per_rollout = 5 does not divide"
echo "trl_runner: 6 bad configs refused with exit 2 and one line"
