# trl_env.sh: what trl.sh and trl_power.sh share (sourced, from the repository root): the binary
# (a copy of a clean build), the runner checkout (a worktree of a clean commit: RLVRBENCH_DATA
# points the runner's {source} there, so edits of the working tree cannot reach a run), the zoo,
# the database and the log.
B=${B:-$PWD/results/bin-trl/rlvrbench}
SRC=${SRC:-/work/trl-src}
export RLVRBENCH_ZOO=$PWD/results/zoo-stack2 RLVRBENCH_DATA=$SRC
DB=$PWD/results/trl.db
log=results/heldout/trl.log
