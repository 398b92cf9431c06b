#!/usr/bin/env bash
# ci/nightly/build.sh [--cuda] [--suites LIST] [--build-dir DIR]: configure and build rlvrbench for a
# nightly run (the GitHub workflow's build step; runs the same on a workstation).
#   --cuda        build against the CUDA LibTorch of this machine's PyTorch
#                 (python3 -c 'import torch; print(torch.utils.cmake_prefix_path)', or $TORCH_DIR)
#   --suites L    the suites CTest registers, ';'-separated or "all" (default "smoke;quick")
#   --build-dir D (default build-nightly)
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/nightly/build.sh: $*" >&2; exit 2; }
cuda=0 suites="smoke;quick" dir=build-nightly
while [ $# -gt 0 ]; do
  case "$1" in
    --cuda) cuda=1 ;;
    --suites) [ $# -ge 2 ] || die "--suites needs a value"; suites=$2; shift ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; dir=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
prefix=()
if [ "$cuda" = 1 ]; then
  torch_dir=${TORCH_DIR:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)}
  [ -n "$torch_dir" ] || die "--cuda: no PyTorch found (set TORCH_DIR to its LibTorch cmake prefix)"
  command -v nvcc > /dev/null || die "--cuda: nvcc not on PATH"
  prefix=(-DCMAKE_PREFIX_PATH="$torch_dir")
fi
echo "[nightly build] $dir: suites '$suites'$([ "$cuda" = 1 ] && echo ", CUDA LibTorch")"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRLVR_SUITES="$suites" "${prefix[@]}" > "$dir.configure.log" 2>&1 ||
  { tail -20 "$dir.configure.log"; die "configure failed (log: $dir.configure.log)"; }
cmake --build "$dir" -j "$(nproc)"
