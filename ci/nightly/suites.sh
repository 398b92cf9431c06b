#!/usr/bin/env bash
# ci/nightly/suites.sh --build-dir DIR --suites "S1 S2" --out OUT: run suites under CTest the way
# the nightly job does, then judge them. Writes OUT/results.db (every cell's runs), OUT/junit.xml
# (ctest --output-junit), OUT/compare-S.txt per suite and OUT/report/ (HTML). GPU cells get the
# resource spec the build made from nvidia-smi (DIR/ctest_resources.json). Exit 0 only when every
# cell passed and every verdict of every suite is PASS; 1 otherwise; 2 bad usage.
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
status=0
echo "[nightly suites] $suites -> $out"
ctest --test-dir "$dir" -L "^($labels)\$" -j "$(nproc)" --output-junit "$out/junit.xml" "${spec[@]}" --output-on-failure || status=1
for s in $suites; do
  "$W" compare --suite "$src/suites/$s.toml" --golden "$src/golden/$s.toml" > "$out/compare-$s.txt" || status=1
  tail -3 "$out/compare-$s.txt"
done
first=$(echo "$suites" | awk '{print $1}')
"$W" report --db "$out/results.db" --out "$out/report" --suite "$src/suites/$first.toml" --golden "$src/golden/$first.toml" > /dev/null || status=1
echo "[nightly suites] $([ $status = 0 ] && echo "every verdict PASS" || echo "FAILED: see $out/compare-*.txt and $out/junit.xml")"
exit $status
