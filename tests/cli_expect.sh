#!/usr/bin/env bash
# cli_expect.sh STATUS STDERR_REGEX STDIN_FILE_OR_- -- COMMAND [ARGS...]
# Runs COMMAND with the given stdin and checks its exit status and that stderr matches the regex
# (and is exactly one line when STATUS is 2, the bad-input contract of docs/design.md, "Exit status"). '^$': stderr empty.
set -u
want_status=$1 want_err=$2 stdin=$3
shift 4
errf=$(mktemp) outf=$(mktemp)
trap 'rm -f "$errf" "$outf"' EXIT
if [ "$stdin" = "-" ]; then "$@" </dev/null >"$outf" 2>"$errf"; else "$@" <"$stdin" >"$outf" 2>"$errf"; fi
status=$?
fail=0
if [ "$status" != "$want_status" ]; then echo "exit status $status, expected $want_status"; fail=1; fi
if [ "$want_err" = '^$' ]; then
  if [ -s "$errf" ]; then echo "stderr is not empty"; fail=1; fi
elif ! grep -Eq -- "$want_err" "$errf"; then echo "stderr does not match /$want_err/"; fail=1; fi
if [ "$want_status" = 2 ] && [ "$(wc -l <"$errf")" != 1 ]; then echo "stderr is not exactly one line"; fail=1; fi
if [ $fail = 1 ]; then echo "--- stderr:"; cat "$errf"; echo "--- stdout (head):"; head -c 2000 "$outf"; exit 1; fi
echo "ok: exit $status, stderr: $(head -c 300 "$errf")"
