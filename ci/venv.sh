#!/usr/bin/env bash
# ci/venv.sh DIR REQUIREMENTS [PARTIAL]: make the Python 3.11 environment DIR (git-ignored) hold
# exactly the pinned packages of REQUIREMENTS (and of PARTIAL); idempotent (a stamp in DIR records
# the requirements it holds). Every package is installed --no-deps, since the files pin what the
# packages pull in, and `pip check` must then find the environment whole, except for complaints
# about PARTIAL's packages: reference code installed for one module each, without its heavy
# dependencies (ci/requirements-refs.txt); those are listed, not fatal.
# The Python is pyenv's 3.11 (its wheel cache holds torch 2.13.0+cpu and 2.14.1), else any
# python3.11 on PATH ($RLVR_PYTHON311 overrides). Exit 2 when there is no Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || [ $# = 3 ] || { echo "usage: ci/venv.sh DIR REQUIREMENTS [PARTIAL]" >&2; exit 2; }
dir=$1 req=$2 partial=${3:-}
for f in "$req" $partial; do [ -f "$f" ] || { echo "ci/venv.sh: $f: no such requirements file" >&2; exit 2; }; done
want=$(cat "$req" $partial | sha256sum | cut -c1-64)
if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.rlvr-requirements" 2>/dev/null)" = "$want" ]; then
  echo "[setup] $dir: up to date ($req)"
  exit 0
fi
py=""
for c in "${RLVR_PYTHON311:-}" "$HOME"/.pyenv/versions/3.11*/bin/python3.11 /root/.pyenv/versions/3.11*/bin/python3.11 "$(command -v python3.11 || true)"; do
  [ -n "$c" ] && [ -x "$c" ] && { py=$c; break; }
done
[ -n "$py" ] || { echo "ci/venv.sh: no Python 3.11 found (install pyenv's 3.11, or set RLVR_PYTHON311)" >&2; exit 2; }
if [ ! -x "$dir/bin/python" ] || ! "$dir/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "[setup] $dir: new environment ($py)"
  rm -rf "$dir"
  "$py" -m venv "$dir"
fi
echo "[setup] $dir: pip install -r $req${partial:+ -r $partial}"
start=$(date +%s)
"$dir/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$req" ${partial:+-r "$partial"} > "$dir/.pip.log" 2>&1 ||
  { grep -v 'is ignored: it is neither' "$dir/.pip.log" | tail -5 >&2; echo "ci/venv.sh: $dir: pip install failed (log: $dir/.pip.log)" >&2; exit 1; }
# pip check's lines start with the package they are about; only PARTIAL's packages may have any.
allowed=""
[ -z "$partial" ] || allowed=$(sed -n 's/^\([A-Za-z0-9_.-]*\)==.*/\1/p' "$partial" | tr 'A-Z_' 'a-z-' | tr '\n' ' ')
bad=0 expected=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  name=$(echo "${line%% *}" | tr 'A-Z_' 'a-z-')
  case " $allowed " in
    *" $name "*) expected=$((expected + 1)) ;;
    *) echo "$line" >&2; bad=1 ;;
  esac
done < <("$dir/bin/python" -m pip check 2>&1 | grep -v '^No broken requirements found' || true)
[ $bad = 0 ] || { echo "ci/venv.sh: $dir: missing or conflicting packages (above)" >&2; exit 1; }
[ $expected = 0 ] || echo "[setup] $dir: pip check: $expected expected complaints about $allowed(installed for one module each: $partial)"
"$dir/bin/python" -c 'import torch' || { echo "ci/venv.sh: $dir: torch does not import" >&2; exit 1; }
echo "$want" > "$dir/.rlvr-requirements"
echo "[setup] $dir: ready in $(( $(date +%s) - start )) s"
