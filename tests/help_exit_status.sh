#!/usr/bin/env bash
# help_exit_status.sh RLVRBENCH: every command's and subcommand's --help states the shared exit
# statuses, 4 (a broken environment) included, so a nightly job's author finds them where they look.
set -uo pipefail
W=$1
fail=0
cmds=$("$W" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ -n "$cmds" ] || { echo "FAIL: no commands listed by --help"; exit 1; }
"$W" --help | grep -q "4 broken environment" || { echo "FAIL: rlvrbench --help does not name exit status 4"; fail=1; }
n=0
for c in $cmds; do
  out=$("$W" "$c" --help 2>&1) || { echo "FAIL: $c --help exits $?"; fail=1; continue; }
  # A command with subcommands lists them ("  NAME  what"); check each subcommand's help too.
  # (a "subcommands:" list, or usage lines "rlvrbench CMD SUB ...").
  subs=$( { printf '%s\n' "$out" | awk '/^subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}'
            printf '%s\n' "$out" | grep -oE "^(usage:)? *rlvrbench $c [a-z]+" | awk '{print $NF}'; } | sort -u)
  if [ -n "$subs" ]; then
    for s in $subs; do
      o2=$("$W" "$c" "$s" --help 2>&1) || { echo "FAIL: $c $s --help exits $?"; fail=1; continue; }
      printf '%s\n' "$o2" | grep -q "4 broken environment" || { echo "FAIL: '$c $s --help' does not name exit status 4"; fail=1; }
      n=$((n + 1))
    done
    continue
  fi
  printf '%s\n' "$out" | grep -q "4 broken environment" || { echo "FAIL: '$c --help' does not name exit status 4"; fail=1; }
  n=$((n + 1))
done
[ $fail = 0 ] && echo "ok: $n command helps name exit statuses 0-4"
exit $fail
