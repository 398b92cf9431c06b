#!/usr/bin/env bash
# s7/bin.sh: make results/bin-s7 (git-ignored, so made again in each session) from a clean build of
# the current tree, only if no source that a run executes differs from 7852aca, the build that
# measured the positive control's golden (session 7): otherwise the measurements of the queues
# below would come from another program, and this script stops (exit 1) naming the files.
set -euo pipefail
cd "$(dirname "$0")/../../.."
REF=7852acab5c6a05d1e72af346d4ef3dddadfd0f49
SRC=(app eval golden models report results/*.cpp results/*.h rewards rl runner suites/*.cpp suites/*.h synth util zoo CMakeLists.txt cmake)
# Tests and the test registrations of the folders' CMakeLists.txt (compile options live in the top
# CMakeLists.txt and cmake/, which count) do not change the binary; nor do golden/*.toml, the data
# the measurements write.
changed=$(git diff --name-only "$REF" HEAD -- "${SRC[@]}" | grep -v -e '_test\.cpp$' -e '^[a-z_]*/CMakeLists\.txt$' -e '^golden/.*\.toml$' || true)
if [ -n "$changed" ]; then echo "s7/bin.sh: sources changed since $REF: $changed" >&2; exit 1; fi
if [ -n "$(git status --porcelain --untracked-files=no -- "${SRC[@]}")" ]; then echo "s7/bin.sh: uncommitted source changes" >&2; exit 1; fi
[ -x .venv/bin/python ] || bash ci/setup.sh --no-cuda > /dev/null   # the LibTorch every build links
[ -f build/build.ninja ] || cmake --preset release > /dev/null
cmake --build build --target rlvrbench -j2 > /dev/null
mkdir -p results/bin-s7
cp build/app/rlvrbench build/app/rlvrbench-torch results/bin-s7/
git rev-parse HEAD > results/bin-s7/COMMIT
echo "results/bin-s7: clean build of $(git rev-parse --short HEAD) (sources as $REF)"
