#!/usr/bin/env bash
# s7/bin.sh: make results/bin-s7 (git-ignored, so made again in a session that lost it) from a
# clean build of 7852aca, the commit whose binary measured the positive control's golden (session
# 7), in a git worktree of that commit: the queues' runs then come from the same sources whatever
# the tree has become since, and each run records 7852aca as its commit. Nothing to do when
# results/bin-s7 holds that build already.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
REF=7852acab5c6a05d1e72af346d4ef3dddadfd0f49
OUT=${BIN_OUT:-results/bin-s7}   # BIN_OUT: elsewhere, to check this script
if [ -x $OUT/rlvrbench ] && [ "$(cat $OUT/COMMIT 2>/dev/null)" = $REF ]; then
  echo "$OUT: already the build of ${REF:0:7}"; exit 0
fi
[ -x .venv/bin/python ] || bash ci/setup.sh --no-cuda > /dev/null   # the LibTorch every build links
SRC=$ROOT/results/src-s7   # git-ignored worktree of REF
[ -d "$SRC" ] || git worktree add --detach "$SRC" $REF > /dev/null
[ "$(git -C "$SRC" rev-parse HEAD)" = $REF ] && [ -z "$(git -C "$SRC" status --porcelain)" ] \
  || { echo "s7/bin.sh: $SRC is not a clean checkout of $REF" >&2; exit 1; }
cmake -S "$SRC" -B "$SRC/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRLVR_BUILD_TESTS=ON -DRLVR_BUILD_BENCH=ON -DRLVR_PYTHON="$ROOT/.venv/bin/python" > /dev/null
cmake --build "$SRC/build" --target rlvrbench -j2 > /dev/null
mkdir -p $OUT
cp "$SRC/build/app/rlvrbench" "$SRC/build/app/rlvrbench-torch" $OUT/
echo $REF > $OUT/COMMIT
echo "$OUT: clean build of ${REF:0:7} (worktree $SRC)"
