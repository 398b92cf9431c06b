#!/usr/bin/env bash
# install_smoke.sh BUILD_DIR SOURCE_DIR ZOO: `cmake --install` to a temporary prefix, the prefix
# moved elsewhere (nothing may point back into the build or the checkout but LibTorch's RPATH),
# then the smoke suite run from an unrelated folder by the installed binary: it finds its suites,
# goldens and zoo specs under PREFIX/share/rlvrbench, writes ./results/rlvrbench.db there, and
# every claim passes. ZOO is the built micro zoo (RLVRBENCH_ZOO), so nothing is pretrained here.
set -uo pipefail
BUILD=$1 SRC=$2 ZOO=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
t0=$(date +%s)
cmake --install "$BUILD" --prefix "$tmp/stage" > "$tmp/install.log" 2>&1 || { tail "$tmp/install.log"; fail "cmake --install failed"; }
mv "$tmp/stage" "$tmp/prefix"  # relocated: the install must not depend on where it was installed
P=$tmp/prefix
[ -x "$P/bin/rlvrbench" ] && [ -x "$P/bin/rlvrbench-torch" ] || fail "the binaries are not in $P/bin"
[ -f "$P/share/rlvrbench/suites/smoke.toml" ] && [ -f "$P/share/rlvrbench/golden/smoke.toml" ] &&
  [ -f "$P/share/rlvrbench/models/zoo/synth-micro.toml" ] || fail "suites, goldens or zoo specs missing under $P/share/rlvrbench"
ldd "$P/bin/rlvrbench-torch" | grep -q "not found" && { ldd "$P/bin/rlvrbench-torch" | grep "not found"; fail "a library of the installed binary does not resolve"; }
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset RLVRBENCH_DB RLVRBENCH_DATA
export RLVRBENCH_ZOO=$ZOO
"$P/bin/rlvrbench" run "$P/share/rlvrbench/suites/smoke.toml" --jobs 2 --quiet > out.txt 2> err.txt
rc=$?
[ $rc = 0 ] || { tail -20 err.txt; cat out.txt; fail "the installed smoke run exited $rc"; }
[ -f results/rlvrbench.db ] || fail "no ./results/rlvrbench.db written in the working folder"
# The golden it judged with is the prefix's, found through the suite's `golden` key, not the checkout's.
grep -q "$P/share/rlvrbench/golden/smoke.toml" out.txt || { cat out.txt; fail "the verdict table does not name the prefix's golden"; }
echo "ok: installed to a prefix, moved, smoke suite run from another folder: every claim PASS ($(( $(date +%s) - t0 )) s)"
