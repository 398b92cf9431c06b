#!/usr/bin/env bash
# tests/one_gloo.sh BINARY TORCH_LIB_DIR: one Gloo in the process, PyTorch's. The binary must not
# link a libgloo of its own (Debian's libgloo0 is a different build of Gloo than the one inside
# libtorch_cpu), and must reference no gloo:: symbol itself: rl/dist_gloo.cpp uses Debian's Gloo
# headers as declarations only, so every Gloo object is made and used inside libtorch_cpu. The
# check first proves it can see Gloo symbols at all, on libtorch_cpu, which defines them.
set -euo pipefail
bin=$1 lib=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
gloo_syms() { nm -D "$@" "$1" 2> /dev/null | c++filt | grep -E '(^|[^A-Za-z_])gloo::' || true; }
[ -n "$(nm -D --defined-only "$lib/libtorch_cpu.so" | c++filt | grep -E '(^|[^A-Za-z_])gloo::' | head -1)" ] ||
  fail "$lib/libtorch_cpu.so defines no gloo:: symbol: the check below would prove nothing"
ldd "$bin" | grep -i 'libgloo' && fail "$bin links a libgloo of its own (above)"
undef=$(nm -D --undefined-only "$bin" | c++filt | grep -E '(^|[^A-Za-z_])gloo::' || true)
[ -z "$undef" ] || fail "$bin references Gloo's own symbols: $(echo "$undef" | head -3)"
echo "one Gloo: $bin links no libgloo and references no gloo:: symbol; libtorch_cpu defines $(nm -D --defined-only "$lib/libtorch_cpu.so" | c++filt | grep -cE '(^|[^A-Za-z_])gloo::')"
