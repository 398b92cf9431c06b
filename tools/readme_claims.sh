#!/usr/bin/env bash
# tools/readme_claims.sh [RLVRBENCH] [README]: writes `rlvrbench claims --format markdown` between the
# README's <!-- claims:begin --> and <!-- claims:end --> markers (CTest readme/claims checks it).
set -euo pipefail
bin=${1:-build/app/rlvrbench}
readme=${2:-README.md}
table=$("$bin" claims --claims golden/claims.toml --format markdown)
grep -q '<!-- claims:begin -->' "$readme" || { echo "readme_claims: $readme: no <!-- claims:begin --> marker" >&2; exit 2; }
awk -v table="$table" '
  /<!-- claims:begin -->/ { print; print table; skip = 1; next }
  /<!-- claims:end -->/ { skip = 0 }
  !skip { print }' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
