#!/usr/bin/env bash
# report_chromium_test.sh RLVRBENCH REPORT_FIXTURE WORKDIR EXPECTED_FIGURES [SCREENSHOT_COPY]
# Renders the report of the fixture database (2 models x 2 rewards x 2 seeds) with `rlvrbench
# report` and opens it in headless Chromium (Debian's chromium package, ci/setup.sh):
#   - the page loads with no console message at all (the page has no script, so any is an error);
#   - the DOM has exactly EXPECTED_FIGURES <svg> elements and ends with the provenance table;
#   - the screenshot is written (a PNG of plausible size);
#   - every DIR/fig-*.svg parses on its own as XML (no <parsererror>), and there are
#     EXPECTED_FIGURES of them;
#   - nothing on the page points at the network.
# Two negative controls first prove that the console and parse-error checks can fail.
# SCREENSHOT_COPY (optional): where to copy the screenshot (e.g. docs/report-quick.png).
set -u
rlvrbench=$1 fixture=$2 work=$3 expected=$4 copy=${5:-}
fail() { echo "FAIL: $*"; exit 1; }
command -v chromium >/dev/null 2>&1 || fail "chromium not found (Debian package 'chromium'; ci/setup.sh installs it)"

rm -rf "$work" && mkdir -p "$work" || fail "cannot create $work"
chrome() {  # chrome ARGS...: one headless run with a fresh profile, offline
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@"
}

# --- negative controls: a console error and a broken SVG must be caught by the checks below
printf '<!DOCTYPE html><html><body><script>console.error("control-error")</script></body></html>' >"$work/control.html"
chrome --enable-logging=stderr --v=0 --dump-dom "file://$work/control.html" >/dev/null 2>"$work/control.log"
grep -q 'CONSOLE.*control-error' "$work/control.log" || fail "console messages are not captured (see $work/control.log)"
printf '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>' >"$work/control.svg"
chrome --dump-dom "file://$work/control.svg" 2>/dev/null | grep -q '<parsererror' || fail "SVG parse errors are not detected"

# --- the report
"$fixture" "$work/results.db" good || fail "fixture"
"$rlvrbench" report --db "$work/results.db" --out "$work/out" >"$work/report.out" 2>"$work/report.err" ||
  fail "rlvrbench report exited $?: $(cat "$work/report.err")"
[ -s "$work/report.err" ] && fail "rlvrbench report wrote to stderr: $(cat "$work/report.err")"
page="$work/out/index.html"
[ -s "$page" ] || fail "no $page"
grep -Eq '(src|href)="(https?:)?//' "$page" && fail "the page references the network: $(grep -Eo '(src|href)="(https?:)?//[^"]*' "$page" | head -3)"

chrome --enable-logging=stderr --v=0 --dump-dom "file://$page" >"$work/dom.html" 2>"$work/page.log"
if grep -q 'CONSOLE' "$work/page.log"; then fail "console messages: $(grep CONSOLE "$work/page.log" | head -5)"; fi
n_svg=$(grep -o '<svg' "$work/dom.html" | wc -l)
[ "$n_svg" = "$expected" ] || fail "the page has $n_svg <svg> elements, expected $expected"
grep -q 'id="provenance"' "$work/dom.html" || fail "the DOM stops before the provenance table"
[ "$(grep -o '<tr>' "$work/dom.html" | wc -l)" -gt 8 ] || fail "tables missing from the DOM"

chrome --screenshot="$work/shot.png" --window-size=1400,4000 --hide-scrollbars "file://$page" >/dev/null 2>"$work/shot.log"
[ -f "$work/shot.png" ] || fail "no screenshot written: $(tail -3 "$work/shot.log")"
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "the screenshot is not a PNG"
[ "$(stat -c %s "$work/shot.png")" -gt 20000 ] || fail "the screenshot is suspiciously small (blank page?)"

n_files=0
for f in "$work"/out/fig-*.svg; do
  [ -f "$f" ] || continue
  n_files=$((n_files + 1))
  chrome --dump-dom "file://$f" >"$work/svg.dom" 2>/dev/null
  grep -q '<parsererror' "$work/svg.dom" && fail "$(basename "$f") does not parse: $(grep -o 'error on line[^<]*' "$work/svg.dom")"
  grep -q '<svg' "$work/svg.dom" || fail "$(basename "$f") has no <svg>"
done
[ "$n_files" = "$expected" ] || fail "$n_files fig-*.svg files, expected $expected"

if [ -n "$copy" ]; then cp "$work/shot.png" "$copy" || fail "cannot copy the screenshot to $copy"; fi
echo "ok: $n_svg figures on the page, $n_files SVG files parse, no console messages, screenshot $(stat -c %s "$work/shot.png") bytes"
