#!/usr/bin/env bash
# ci/cuda_build.sh [--python PY] [--torch-version V] [--build-dir DIR] [--arch LIST] [--deps PREFIX]
#                  [--jobs N] [--suites LIST] [-- CMAKE_ARGS...]: configure and build the CUDA
# configuration of rlvrbench: Release, Ninja, the CUDA LibTorch of PY's torch, the NCCL process group
# on. CI (ci/test.sh, no GPU: compile and link only), the GPU check (ci/gpu/check.sh) and the
# nightly GPU job (ci/nightly/build.sh --cuda) all build through this script, so they compile the
# same thing: the targets rlvrbench rlvrbench-torch decode_bench model_hf_parity_test.
#   --python PY         the Python whose torch (a CUDA build) provides LibTorch (default .venv-cuda/bin/python)
#   --torch-version V   the torch version PY must have (default 2.14.1; "" = any 2.x)
#   --build-dir DIR     (default build-cuda)
#   --arch LIST         TORCH_CUDA_ARCH_LIST (default "9.0": H100/H200)
#   --deps PREFIX       one more CMAKE_PREFIX_PATH entry, Debian multiarch layout (ci/gpu/check.sh: its bundle's deps)
#   --jobs N            build jobs (default: nproc)
#   --suites LIST       RLVR_SUITES (default OFF)
#   -- CMAKE_ARGS...    passed to the configure as they are
# nvcc comes from $CUDA_HOME/bin, /usr/local/cuda/bin or PATH. Where that toolkit lacks the CUDA
# libraries LibTorch's CMake looks for (cuBLAS, cuFFT, cuRAND, nvrtc: a pip-style minimal toolkit,
# as here), DIR/cuda-toolkit holds a toolkit made of symlinks: the toolkit's bin/ and nvvm/, its
# headers merged with PY's nvidia-* wheels' headers, lib64/ with the wheels' libraries under their
# unversioned names too. A full toolkit is used as it is. NCCL's header comes from the nvidia-nccl wheel.
# Checks: rlvrbench-torch needs libtorch_cuda.so and references ProcessGroupNCCL (the NCCL branch).
# Ends with "[cuda build] ok: N targets in S s (torch V, CUDA C, NCCL on)".
# Exit 0 built and checked; 1 the configure, build or a check failed; 2 bad usage or something missing (one line).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/cuda_build.sh: $*" >&2; exit 2; }
fail() { echo "ci/cuda_build.sh: $*" >&2; exit 1; }
py="$src/.venv-cuda/bin/python" torch_version=2.14.1 build="$src/build-cuda" arch="9.0" deps=""
jobs=$(nproc) suites=OFF extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --python) [ $# -ge 2 ] || die "--python needs a value"; py=$2; shift ;;
    --torch-version) [ $# -ge 2 ] || die "--torch-version needs a value"; torch_version=$2; shift ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build=$2; shift ;;
    --arch) [ $# -ge 2 ] || die "--arch needs a value"; arch=$2; shift ;;
    --deps) [ $# -ge 2 ] || die "--deps needs a value"; deps=$2; shift ;;
    --jobs) [ $# -ge 2 ] || die "--jobs needs a value"; jobs=$2; shift ;;
    --suites) [ $# -ge 2 ] || die "--suites needs a value"; suites=$2; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs: expected a positive integer, got '$jobs'"
[ -n "$arch" ] || die "--arch: empty (e.g. \"9.0\", or \"8.0;9.0\")"
if [ -n "$deps" ]; then [ -d "$deps" ] || die "--deps $deps: no such folder"; deps=$(cd "$deps" && pwd); fi
targets=(rlvrbench rlvrbench-torch decode_bench model_hf_parity_test)
t_start=$(date +%s)

# --- what must be here ---
command -v cmake > /dev/null || die "cmake not found (run: bash ci/setup.sh)"
command -v ninja > /dev/null || die "ninja not found (run: bash ci/setup.sh)"
nvcc=""
for c in ${CUDA_HOME:+"$CUDA_HOME/bin/nvcc"} /usr/local/cuda/bin/nvcc "$(command -v nvcc || true)"; do
  [ -n "$c" ] && [ -x "$c" ] && { nvcc=$c; break; }
done
[ -n "$nvcc" ] || die "nvcc not found (no CUDA toolkit in \$CUDA_HOME, /usr/local/cuda or PATH; run: bash ci/setup.sh)"
[ -x "$py" ] || die "$py: no such Python (run: bash ci/setup.sh; it makes .venv-cuda)"
py=$(cd "$(dirname "$py")" && pwd)/$(basename "$py")
# torch's version, its CUDA version, and where the nvidia-* wheels are (one folder per line).
info=$("$py" - 2> /dev/null <<'PY'
import os, torch
print(torch.__version__.split("+")[0])
print(torch.version.cuda or "")
try:
    import nvidia
    roots = list(nvidia.__path__)
except ImportError:
    roots = []
for r in roots:
    for d in sorted(os.listdir(r)):
        if os.path.isdir(os.path.join(r, d)):
            print(os.path.join(r, d))
PY
) || die "$py cannot import torch (run: bash ci/setup.sh)"
tv=$(sed -n 1p <<< "$info") tcuda=$(sed -n 2p <<< "$info")
mapfile -t wheels < <(sed -n '3,$p' <<< "$info")
[ -n "$tcuda" ] || die "$py has torch $tv without CUDA (torch.version.cuda is None): the CUDA build needs a CUDA torch (run: bash ci/setup.sh)"
if [ -n "$torch_version" ] && [ "$tv" != "$torch_version" ]; then
  die "$py has torch $tv, this build needs $torch_version (run: bash ci/setup.sh; --torch-version \"\" takes any)"
fi
nccl_inc=""
for w in "${wheels[@]}"; do [ -f "$w/include/nccl.h" ] && { nccl_inc="$w/include"; break; }; done

# --- the toolkit: the one nvcc belongs to (its TOP, as nvcc itself resolves it; /usr/local/bin/nvcc may be a wrapper) ---
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
: > "$probe/x.cu"
tk=$("$nvcc" -v --dryrun "$probe/x.cu" -o "$probe/x.o" 2>&1 | sed -n 's/^#\$ TOP=//p' | head -1)
[ -n "$tk" ] && [ -d "$tk" ] || die "$nvcc: cannot tell its toolkit folder (nvcc -v --dryrun names no TOP)"
tk=$(cd "$tk" && pwd -P)
cuda_version=$("$nvcc" --version | sed -n 's/.*release \([0-9][0-9.]*\),.*/\1/p')
tk_inc="$tk/include" tk_lib="$tk/lib64"
[ -d "$tk/targets/x86_64-linux/include" ] && tk_inc="$tk/targets/x86_64-linux/include"
[ -d "$tk_lib" ] || tk_lib="$tk/lib"
[ -d "$tk/targets/x86_64-linux/lib" ] && tk_lib="$tk/targets/x86_64-linux/lib"
[ -n "$nccl_inc" ] || { [ -f "$tk_inc/nccl.h" ] && nccl_inc=$tk_inc; } || true
[ -n "$nccl_inc" ] || { [ -f /usr/include/nccl.h ] && nccl_inc=/usr/include; } || true
[ -n "$nccl_inc" ] || die "no nccl.h: neither $py's nvidia-nccl wheel nor the toolkit ($tk) has it (run: bash ci/setup.sh)"

# What LibTorch's cuda.cmake (FindCUDA, FindCUDAToolkit) needs of a toolkit.
missing=()
for h in cuda.h cuda_runtime.h cublas_v2.h curand.h cufft.h nvrtc.h; do [ -f "$tk_inc/$h" ] || missing+=("$h"); done
for l in cudart cublas cublasLt curand cufft cusparse nvrtc; do [ -e "$tk_lib/lib$l.so" ] || missing+=("lib$l.so"); done
mkdir -p "$build"
build=$(cd "$build" && pwd)
shim="$build/cuda-toolkit"
if [ ${#missing[@]} = 0 ]; then
  root=$tk
  [ "$tk" = "$shim" ] || rm -rf "$shim"
  echo "[cuda build] CUDA toolkit $tk ($cuda_version, complete)"
else
  # lnk TARGET NAME: a symlink, unless NAME is there already (the first provider wins: the toolkit, then the wheels).
  lnk() { [ -e "$2" ] || [ -L "$2" ] || ln -s "$1" "$2"; }
  new="$build/.cuda-toolkit.new"
  rm -rf "$new"
  mkdir -p "$new/bin" "$new/include" "$new/lib64"
  for f in "$tk"/bin/*; do lnk "$f" "$new/bin/$(basename "$f")"; done
  [ -d "$tk/nvvm" ] && lnk "$tk/nvvm" "$new/nvvm"
  for f in version.json version.txt; do [ -e "$tk/$f" ] && lnk "$tk/$f" "$new/$f"; done
  for f in "$tk_inc"/*; do lnk "$f" "$new/include/$(basename "$f")"; done
  for f in "$tk_lib"/*; do lnk "$f" "$new/lib64/$(basename "$f")"; done
  for w in "${wheels[@]}"; do
    [ -d "$w/include" ] && for f in "$w/include"/*; do lnk "$f" "$new/include/$(basename "$f")"; done
    [ -d "$w/lib" ] || continue
    for f in "$w/lib"/*; do
      b=$(basename "$f")
      lnk "$f" "$new/lib64/$b"
      # libcublas.so.13 -> libcublas.so as well: CMake's find_library looks for the unversioned name.
      [[ "$b" =~ ^(lib[^/]*\.so)\.[0-9.]+$ ]] && lnk "$f" "$new/lib64/${BASH_REMATCH[1]}"
    done
  done
  ln -s lib64 "$new/lib"
  # Replace DIR/cuda-toolkit only when it changed, so an unchanged toolkit rebuilds nothing.
  listing() { (cd "$1" && find . -printf '%p %l\n' | sort); }
  if [ -d "$shim" ] && [ "$(listing "$shim")" = "$(listing "$new")" ]; then
    rm -rf "$new"
  else
    rm -rf "$shim"; mv "$new" "$shim"
  fi
  root=$shim
  left=()
  for m in "${missing[@]}"; do [ -e "$shim/include/$m" ] || [ -e "$shim/lib64/$m" ] || left+=("$m"); done
  [ ${#left[@]} = 0 ] || die "the CUDA toolkit $tk and $py's nvidia-* wheels both lack: ${left[*]} (run: bash ci/setup.sh)"
  echo "[cuda build] CUDA toolkit $tk ($cuda_version) lacks ${missing[*]}: using $shim (it plus $py's nvidia-* wheels)"
fi

# --- configure ---
prefix=()
[ -n "$deps" ] && prefix=(-DCMAKE_PREFIX_PATH="$deps" -DCMAKE_LIBRARY_ARCHITECTURE="$(uname -m)-linux-gnu")
export TORCH_CUDA_ARCH_LIST=$arch
echo "[cuda build] configure $build (torch $tv from $py, CUDA $cuda_version, arch $arch, nccl.h from $nccl_inc)"
t0=$(date +%s)
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRLVR_SUITES="$suites" \
  -DRLVR_PYTHON="$py" -DRLVR_TORCH_VERSION="$torch_version" -DRLVR_NCCL_INCLUDE="$nccl_inc" \
  -DCMAKE_CUDA_COMPILER="$root/bin/nvcc" -DCUDAToolkit_ROOT="$root" -DCUDA_TOOLKIT_ROOT_DIR="$root" \
  -DCUDA_NVCC_EXECUTABLE="$root/bin/nvcc" -DTORCH_CUDA_ARCH_LIST="$arch" \
  "${prefix[@]}" "${extra[@]}" > "$build/configure.log" 2>&1 ||
  { tail -25 "$build/configure.log" >&2; fail "configure failed (log: $build/configure.log)"; }
t_conf=$(( $(date +%s) - t0 ))
grep -q 'rlvrbench: LibTorch .*, CUDA ON' "$build/configure.log" ||
  fail "configured, but LibTorch from $py is not the CUDA one (log: $build/configure.log)"
ccache_state=off   # cmake/Ccache.cmake puts ccache in front of the compiler when it is on PATH
grep -q 'rlvrbench: using ccache' "$build/configure.log" && ccache_state=on
echo "[cuda build] configure: ${t_conf} s (ccache $ccache_state)"

# --- build ---
echo "[cuda build] build ${targets[*]} (-j $jobs)"
t0=$(date +%s)
cmake --build "$build" -j "$jobs" --target "${targets[@]}" || fail "build failed (targets: ${targets[*]})"
t_build=$(( $(date +%s) - t0 ))
echo "[cuda build] build: ${t_build} s"

# --- checks: the binary links the CUDA LibTorch, and the NCCL branch is compiled in ---
bin="$build/app/rlvrbench-torch"
for t in app/rlvrbench app/rlvrbench-torch bench/decode_bench models/model_hf_parity_test; do
  [ -x "$build/$t" ] || fail "$build/$t: not built"
done
# (whole outputs into variables first: `nm | grep -q` under pipefail fails when grep stops reading early)
dyn=$(readelf -d "$bin")
grep -q 'NEEDED.*\[libtorch_cuda\.so\]' <<< "$dyn" || fail "$bin does not need libtorch_cuda.so (readelf -d): not a CUDA link"
unresolved=$(ldd "$bin" | grep 'not found' || true)
[ -z "$unresolved" ] || fail "$bin: libraries the loader cannot find (ldd): $(echo $unresolved)"
syms=$(nm -DC --undefined-only "$bin")
grep -q 'c10d::ProcessGroupNCCL::ProcessGroupNCCL(' <<< "$syms" ||
  fail "$bin references no c10d::ProcessGroupNCCL constructor (nm -DC): the NCCL branch of rl/dist.cpp was not compiled"
nccl_state=on
echo "[cuda build] checks: $(basename "$bin") needs libtorch_cuda.so (readelf -d), every library resolves (ldd), ProcessGroupNCCL referenced (nm)"
echo "[cuda build] ok: ${#targets[@]} targets in $(( $(date +%s) - t_start )) s (configure ${t_conf} s, build ${t_build} s; torch $tv, CUDA $cuda_version, NCCL $nccl_state)"
