#!/usr/bin/env bash
# nightly_status.sh SOURCE_DIR: ci/nightly/suites.sh's one status for the night, from each cell's and
# command's exit status: 0 every cell and verdict passed, 1 a regression, 2 bad input, 3 an internal
# error, 4 a broken runner, the worst winning in the order 4 > 3 > 2 > 1. The real ctest runs fake
# cells (a hand-written CTestTestfile.cmake of `sh -c "exit N"`) and a fake rlvrbench stands in for
# compare and report, so the mapping is checked in a second, without a build or a run. A cell that
# prints the old "environment broke" text but exits 1 is a regression: the status is read from
# CTest's record of each exit, never from a cell's output.
set -uo pipefail
SRC=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$tmp/build
mkdir -p "$dir/app"
cat > "$dir/app/rlvrbench" <<'EOF'
#!/usr/bin/env bash
# Fake rlvrbench: compare and report exit with $FAKE_COMPARE / $FAKE_REPORT.
case $1 in
  compare) printf 'VERDICT  CLAIM\nPASS     fake\n\nfake: 1 claims: 1 PASS\n'; exit "${FAKE_COMPARE:-0}" ;;
  report) exit "${FAKE_REPORT:-0}" ;;
  *) echo "fake rlvrbench: unexpected '$1'" >&2; exit 99 ;;
esac
EOF
chmod +x "$dir/app/rlvrbench"

fail=0 n=0
# expect STATUS WHAT CELL_CMD... : cells fake/c0, fake/c1, ... run the given shell commands.
expect() {
  local want=$1 what=$2; shift 2
  : > "$dir/CTestTestfile.cmake"
  local i=0
  for c in "$@"; do
    printf 'add_test(fake/c%d "/bin/sh" "-c" "%s")\nset_tests_properties(fake/c%d PROPERTIES LABELS "fake")\n' "$i" "$c" "$i" \
      >> "$dir/CTestTestfile.cmake"
    i=$((i + 1))
  done
  bash "$SRC/ci/nightly/suites.sh" --build-dir "$dir" --suites fake --out "$tmp/out" > "$tmp/log" 2>&1
  local rc=$?
  n=$((n + 1))
  if [ "$rc" = "$want" ]; then echo "ok: $what -> $rc"
  else echo "FAIL: $what: exit $rc, expected $want"; sed 's/^/  | /' "$tmp/log" | tail -20; fail=1; fi
}

expect 0 "every cell and verdict passed" "exit 0" "exit 0"
expect 1 "a cell failed (exit 1)" "exit 0" "exit 1"
FAKE_COMPARE=1 expect 1 "a verdict failed" "exit 0"
expect 2 "a cell's input was bad" "exit 2" "exit 0"
expect 3 "a cell hit an internal error" "exit 3"
expect 4 "a cell's environment broke" "exit 0" "exit 4"
FAKE_COMPARE=1 expect 4 "broken environment beside a regression and a failed cell" "exit 1" "exit 4"
FAKE_COMPARE=1 expect 3 "internal error beside a regression" "exit 3" "exit 1"
expect 3 "internal error beside bad input" "exit 2" "exit 3"
# After the 4 above: a stale Test.xml must not make this one 4, nor the old mark text.
expect 1 "a cell that prints the old mark but exits 1" "echo '(exit 4: the environment broke)'; exit 1"
expect 1 "a cell killed by a signal" "kill -9 \$\$"
FAKE_COMPARE=4 expect 4 "compare's environment broke" "exit 0"
FAKE_REPORT=3 expect 3 "report's internal error" "exit 0"
FAKE_COMPARE=2 expect 2 "compare's bad input" "exit 0"
[ $fail = 0 ] && echo "ok: $n cases, ci/nightly/suites.sh maps every status"
exit $fail
