#!/usr/bin/env bash
# ci/nightly/suites.sh --build-dir DIR --suites "S1 S2" --out OUT: run suites under CTest the way
# the nightly job does, then judge them. Writes OUT/results.db (every cell's runs), OUT/junit.xml
# (ctest --output-junit), OUT/compare-S.txt per suite and OUT/report/ (HTML). GPU cells get the
# resource spec the build made from nvidia-smi (DIR/ctest_resources.json). Exit 0 only when every
# cell passed and every verdict of every suite is PASS; 4 when the runner broke (a cell or command
# exited 4: I/O error, disk full, a dead rank; repair and rerun, the verdicts are not evidence);
# 1 a regression (a verdict failed); 3 an internal error of rlvrbench; 2 bad usage or input.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/nightly/suites.sh: $*" >&2; exit 2; }
dir="" suites="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; dir=$2; shift ;;
    --suites) [ $# -ge 2 ] || die "--suites needs a value"; suites=$2; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a value"; out=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[ -n "$dir" ] && [ -n "$suites" ] && [ -n "$out" ] || die "--build-dir, --suites and --out are required"
[ -f "$dir/CTestTestfile.cmake" ] || die "$dir: not a configured build (run ci/nightly/build.sh)"
W="$dir/app/rlvrbench"
[ -x "$W" ] || die "$W: not built"
mkdir -p "$out"
out=$(cd "$out" && pwd)
export RLVRBENCH_DB="$out/results.db"
labels=$(echo "$suites" | tr ' ' '\n' | grep -v '^$' | paste -sd'|' -)
spec=()
[ -f "$dir/ctest_resources.json" ] && spec=(--resource-spec-file "$dir/ctest_resources.json")
# One status for the night: a broken runner (4) outranks an internal error (3), bad input (2) and a
# regression (1), because none of the others can be trusted when the machine broke under them.
status=0
note() { local rc=$1; [ "$rc" = 0 ] && return 0
  case $rc in 4) status=4 ;; 3) [ $status = 4 ] || status=3 ;; 2) [ $status -ge 3 ] || status=2 ;;
    *) [ $status != 0 ] || status=1 ;; esac; }
echo "[nightly suites] $suites -> $out"
# Dashboard mode (-T Test) records every test's exit status in Testing/TAG/Test.xml ("Exit Value"),
# so a cell's status is read from CTest's own record, not from what the cell printed: a cell or
# setup that exited 4 (its environment broke) makes the stage 4, 3 an internal error, 2 bad input;
# any other failure (1, a timeout, a signal, a fixture that failed) is a regression. Only a Test.xml
# newer than this ctest counts: one that died before writing its own is not judged by an old one.
touch "$out/.ctest-start"
rc=0; ctest --test-dir "$dir" -T Test --no-compress-output -L "^($labels)\$" -j "$(nproc)" --output-junit "$out/junit.xml" \
  "${spec[@]}" --output-on-failure || rc=1
note $rc
if [ $rc != 0 ]; then
  tag=$(head -n 1 "$dir/Testing/TAG" 2>/dev/null || true)
  xml="$dir/Testing/$tag/Test.xml"
  if [ -n "$tag" ] && [ "$xml" -nt "$out/.ctest-start" ]; then
    for v in $(grep -A1 'name="Exit Value"' "$xml" | sed -n 's/.*<Value>\([0-9]*\)<\/Value>.*/\1/p'); do
      case $v in 2|3|4) note "$v" ;; esac
    done
  fi
fi
for s in $suites; do
  rc=0; "$W" compare --suite "$src/suites/$s.toml" --golden "$src/golden/$s.toml" > "$out/compare-$s.txt" || rc=$?
  note $rc
  tail -3 "$out/compare-$s.txt"
done
first=$(echo "$suites" | awk '{print $1}')
rc=0; "$W" report --db "$out/results.db" --out "$out/report" --suite "$src/suites/$first.toml" --golden "$src/golden/$first.toml" > /dev/null || rc=$?
note $rc
case $status in
  0) echo "[nightly suites] every verdict PASS" ;;
  1) echo "[nightly suites] REGRESSION: see $out/compare-*.txt and $out/junit.xml" ;;
  4) echo "[nightly suites] BROKEN RUNNER (I/O error, disk full or a dead rank): repair it and rerun; the verdicts are not evidence" ;;
  *) echo "[nightly suites] rlvrbench FAILED with status $status (bad input or an internal error): see the log" ;;
esac
exit $status
