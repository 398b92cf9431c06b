#!/usr/bin/env bash
# ci/nightly/build.sh [--cuda] [--suites LIST] [--build-dir DIR]: configure and build rlvrbench for a
# nightly run (the GitHub workflow's build step; runs the same on a workstation).
#   --cuda        build against the CUDA LibTorch of this machine's PyTorch (python3's, or
#                 $RLVR_PYTHON's torch): ci/cuda_build.sh, as CI and ci/gpu/check.sh, then the rest
#   --suites L    the suites CTest registers, ';'-separated or "all" (default "smoke;quick")
#   --build-dir D (default build-nightly)
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
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
if [ "$cuda" = 1 ]; then
  py=${RLVR_PYTHON:-$(command -v python3 || true)}
  [ -n "$py" ] || die "--cuda: no python3 (set RLVR_PYTHON to the Python whose torch is a CUDA build)"
  arch=${TORCH_CUDA_ARCH_LIST:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2> /dev/null | sort -u | paste -sd';' - || true)}
  echo "[nightly build] $dir: suites '$suites', CUDA LibTorch ($py)"
  # The CUDA configuration and targets exactly as CI and the GPU check build them; then, in the
  # same configuration, everything else the suites run under CTest.
  bash ci/cuda_build.sh --python "$py" --torch-version "" --build-dir "$dir" --suites "$suites" ${arch:+--arch "$arch"}
  cmake --build "$dir" -j "$(nproc)"
  exit 0
fi
echo "[nightly build] $dir: suites '$suites'"
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRLVR_SUITES="$suites" > "$dir.configure.log" 2>&1 ||
  { tail -20 "$dir.configure.log"; die "configure failed (log: $dir.configure.log)"; }
cmake --build "$dir" -j "$(nproc)"
