#!/usr/bin/env bash
# cli_stdout_test.sh STDIN EXPECTED -- COMMAND [ARGS...]: runs COMMAND on STDIN, expects exit 0 and
# stdout byte-identical to EXPECTED (the grade/reward JSONL contract).
set -u
stdin=$1 expected=$2
shift 3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" <"$stdin" >"$out" 2>/dev/null
status=$?
if [ "$status" != 0 ]; then echo "exit status $status, expected 0"; exit 1; fi
if ! cmp -s "$out" "$expected"; then echo "stdout differs from $expected:"; diff "$out" "$expected" | head -20; exit 1; fi
echo "ok: $(wc -l <"$out") lines match $expected"
