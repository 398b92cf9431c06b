#!/usr/bin/env bash
# ci/fuzz.sh [--seconds N] [--build-dir DIR] [--report TSV] [TARGET...]: builds the libFuzzer targets
# (clang, ASan + UBSan, build-fuzz/) and runs each for N seconds (default 5; CI runs a few seconds
# each, a campaign before a release 300+). TARGET: a name from fuzz/CMakeLists.txt (grader,
# tokenizer_json, ...); default all. Each run starts from fuzz/corpus/NAME (the committed seeds and
# regression inputs) and keeps what it adds in build-fuzz/corpus/NAME, so a later run resumes.
# A finding (crash, sanitizer report, an exception other than InputError, a >2 s input, >2 GiB)
# is saved as build-fuzz/findings/NAME/crash-*; commit it to fuzz/corpus/NAME after the fix, so
# CTest's fuzz/NAME replays it on every build. The report (default build-fuzz/fuzz-report.tsv):
# target, seconds it ran, executions, corpus files, status. Exit 0 no finding, 1 a finding, 2 bad usage.
set -uo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/fuzz.sh: $*" >&2; exit 2; }
ALL=(grader tokenizer_json tokenizer_encode safetensors safetensors_index config_json suite_toml golden_toml
     zoo_spec_toml run_config_toml dataset_jsonl run_file db_readonly)
seconds=5 build=build-fuzz report="" targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || die "--seconds needs a value"; seconds=$2; shift ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build=$2; shift ;;
    --report) [ $# -ge 2 ] || die "--report needs a value"; report=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) printf '%s\n' "${ALL[@]}" | grep -qx "$1" || die "unknown target '$1' (targets: ${ALL[*]})"; targets+=("$1") ;;
  esac
  shift
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || die "--seconds: expected a positive integer, got '$seconds'"
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")
command -v clang++ > /dev/null || die "clang++ not found (ci/setup.sh installs clang)"
report=${report:-$build/fuzz-report.tsv}

echo "[fuzz] building ${#targets[@]} targets in $build (clang, ASan + UBSan)"
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DRLVR_BUILD_FUZZ=ON \
  -DRLVR_BUILD_TESTS=OFF -DRLVR_BUILD_BENCH=OFF -DRLVR_SUITES=OFF > "$build/configure.log" 2>&1 ||
  { tail -20 "$build/configure.log"; die "configure failed (log: $build.configure.log)"; }
cmake --build "$build" -j "$(nproc)" --target $(printf '%s_fuzz ' "${targets[@]}") > "$build/build.log" 2>&1 ||
  { tail -30 "$build/build.log"; echo "[fuzz] build FAILED"; exit 1; }

printf 'target\tseconds\texecutions\tcorpus_files\tstatus\n' > "$report"
found=0
for t in "${targets[@]}"; do
  [ -d "fuzz/corpus/$t" ] || die "fuzz/corpus/$t: no seed corpus (python3 tools/fuzz_seeds.py makes it)"
  mkdir -p "$build/corpus/$t" "$build/findings/$t"
  log="$build/findings/$t/fuzz.log"
  extra=(); [ "$t" = grader ] && extra=(-max_len=65536)
  # -timeout: one input over 2 s is a hang; -rss_limit_mb: a parser that balloons is a finding.
  t0=$(date +%s)
  "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$t/" "${extra[@]}" "$build/corpus/$t" "fuzz/corpus/$t" > "$log" 2>&1
  rc=$?
  ran=$(( $(date +%s) - t0 ))
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  files=$(( $(ls "$build/corpus/$t" | wc -l) + $(ls "fuzz/corpus/$t" | wc -l) ))
  status=ok
  if [ $rc -ne 0 ]; then status="FINDING ($(ls "$build/findings/$t" | grep -v fuzz.log | head -1))"; found=1; fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$ran" "${execs:-0}" "$files" "$status" >> "$report"
  printf '[fuzz] %-18s %8s executions in %4s s, %5s corpus files: %s\n' "$t" "${execs:-0}" "$ran" "$files" "$status"
  [ $rc -ne 0 ] && grep -E "fuzz finding|ERROR: |SUMMARY: |==[0-9]+==" "$log" | head -5 | sed 's/^/    /'
done
echo "[fuzz] report: $report"
exit $found
