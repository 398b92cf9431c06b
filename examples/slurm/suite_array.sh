#!/usr/bin/env bash
# examples/slurm/suite_array.sh SUITE.toml N SHARED_DIR: run a suite on a Slurm cluster as a job
# array of N shards (--array=0-(N-1), SLURM_ARRAY_TASK_ID is the shard), each writing
# SHARED_DIR/shard-I.db, and a dependent job (afterok) that merges them and compares with the
# golden. Set RLVRBENCH to the rlvrbench binary every node can run (default build/app/rlvrbench).
# DRY_RUN=1: print what each task would run (no sbatch), one "task I: COMMAND" line per task.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: suite_array.sh SUITE.toml N SHARED_DIR" >&2; exit 2; }
suite=$1 n=$2 shared=$3
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "suite_array.sh: N: expected a positive integer, got '$n'" >&2; exit 2; }
W=${RLVRBENCH:-build/app/rlvrbench}
name=$(basename "$suite" .toml)
task_cmd() { echo "$W run $suite --shard $1/$n --db $shared/shard-$1.db --quiet"; }
merge_cmd="$W db merge --out $shared/merged.db $shared/shard-*.db && $W compare --suite $suite --golden golden/$name.toml --db $shared/merged.db"
if [ "${DRY_RUN:-0}" = 1 ]; then
  for i in $(seq 0 $((n - 1))); do echo "task $i: $(task_cmd "$i")"; done
  echo "merge: $merge_cmd"
  exit 0
fi
mkdir -p "$shared"
# The array: each task runs its shard; %A_%a names the logs by job and task.
array=$(sbatch --parsable --job-name="rlvr-$name" --array="0-$((n - 1))" --output="$shared/shard-%a.log" \
  --wrap="$W run $suite --shard \${SLURM_ARRAY_TASK_ID}/$n --db $shared/shard-\${SLURM_ARRAY_TASK_ID}.db --quiet")
# The merge waits for every task to succeed (afterok on the whole array).
sbatch --parsable --job-name="rlvr-$name-merge" --dependency="afterok:$array" --output="$shared/merge.log" --wrap="$merge_cmd"
echo "submitted array $array ($n shards) and its merge; results in $shared/merged.db"
