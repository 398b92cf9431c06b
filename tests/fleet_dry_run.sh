#!/usr/bin/env bash
# fleet_dry_run.sh RLVRBENCH SOURCE_DIR: the fleet examples and the nightly workflow, as far as
# this machine can run them (no Slurm, no Kubernetes, no GPU runner):
#   1. examples/slurm/suite_array.sh in DRY_RUN mode for zoo-full over 3 shards: task I runs shard
#      I/3, and the tasks' cells cover every cell of the suite exactly once;
#   2. examples/k8s/suite-indexed-job.yaml parses, is an Indexed Job of 3 completions whose pods run
#      shard JOB_COMPLETION_INDEX/3, and its indexes cover every cell once;
#   3. .github/workflows/*.yml pass the schema linter (ci/lint_workflows.sh) and a broken copy fails;
#   4. ci/nightly/*.sh refuse bad usage with exit 2.
set -euo pipefail
W=$1 SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "fleet_dry_run.sh: $*" >&2; exit 1; }
S="$SRC/suites/zoo-full.toml"
all=$("$W" suite list "$S" --format names | sort)
cover() {  # cover "0 1 2" N: the shards' cells, sorted
  for i in $1; do "$W" suite list "$S" --shard "$i/$2" --format names; done | sort
}

echo "== 1: Slurm job array (dry run)"
out=$(cd "$SRC" && RLVRBENCH="$W" DRY_RUN=1 bash examples/slurm/suite_array.sh suites/zoo-full.toml 3 /shared/rlvr)
echo "$out"
[ "$(echo "$out" | grep -c '^task ')" = 3 ] || fail "the array does not have 3 tasks"
shards=""
for i in 0 1 2; do
  line=$(echo "$out" | grep "^task $i: ")
  echo "$line" | grep -q -- "--shard $i/3 --db /shared/rlvr/shard-$i.db" || fail "task $i does not run shard $i/3 into its own file"
  shards="$shards $i"
done
[ "$(cover "$shards" 3)" = "$all" ] || fail "the Slurm tasks do not cover every cell exactly once"
echo "$out" | grep -q '^merge: .*db merge --out /shared/rlvr/merged.db /shared/rlvr/shard-\*.db && .* compare' || fail "no merge + compare job"
set +e; DRY_RUN=1 bash "$SRC/examples/slurm/suite_array.sh" suites/zoo-full.toml 0 /x 2> err.txt; rc=$?; set -e
[ "$rc" = 2 ] || fail "N = 0 accepted"
echo "slurm: 3 tasks, $(echo "$all" | wc -l) cells covered exactly once"

echo "== 2: Kubernetes Indexed Job"
python3 - "$SRC/examples/k8s/suite-indexed-job.yaml" > "$tmp/k8s.txt" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
job = docs[0]
assert job["kind"] == "Job" and job["spec"]["completionMode"] == "Indexed", "not an Indexed Job"
n = job["spec"]["completions"]
args = " ".join(job["spec"]["template"]["spec"]["containers"][0]["args"])
assert "--shard ${JOB_COMPLETION_INDEX}/%d" % n in args, "the pods do not run shard JOB_COMPLETION_INDEX/completions"
merge = " ".join(docs[1]["spec"]["template"]["spec"]["containers"][0]["args"])
assert "db merge" in merge and "compare" in merge, "no merge + compare job"
print(n)
PY
n=$(cat "$tmp/k8s.txt")
[ "$(cover "$(seq 0 $((n - 1)) | paste -sd' ' -)" "$n")" = "$all" ] || fail "the k8s indexes do not cover every cell exactly once"
echo "k8s: Indexed Job of $n completions, every cell covered exactly once"

echo "== 3: workflow schema"
if [ -x "$SRC/node_modules/.bin/action-validator" ]; then
  bash "$SRC/ci/lint_workflows.sh"
  sed 's/runs-on: ubuntu-latest/runs_on: ubuntu-latest/' "$SRC/.github/workflows/nightly.yml" > "$tmp/bad.yml"
  if "$SRC/node_modules/.bin/action-validator" "$tmp/bad.yml" > /dev/null 2>&1; then fail "the linter accepts a broken workflow"; fi
  echo "workflow: valid; a broken copy is rejected"
else
  fail "node_modules/.bin/action-validator missing (ci/setup.sh installs it)"
fi

echo "== 4: nightly scripts' usage"
for s in build suites; do
  set +e; bash "$SRC/ci/nightly/$s.sh" --bogus > /dev/null 2> err.txt; rc=$?; set -e
  [ "$rc" = 2 ] && grep -q "ci/nightly/$s.sh: unknown argument '--bogus'" err.txt || fail "ci/nightly/$s.sh --bogus: exit $rc"
  bash "$SRC/ci/nightly/$s.sh" --help | grep -q "ci/nightly/$s.sh" || fail "ci/nightly/$s.sh --help"
done
set +e; bash "$SRC/ci/nightly/suites.sh" --build-dir "$tmp" --suites quick --out "$tmp/o" 2> err.txt; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "not a configured build" err.txt || fail "suites.sh on a folder that is no build: exit $rc"
echo "fleet_dry_run.sh: all checks passed"
