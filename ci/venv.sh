#!/usr/bin/env bash
# ci/venv.sh DIR REQUIREMENTS: make the Python 3.11 environment DIR (git-ignored) hold exactly the
# pinned packages of REQUIREMENTS; idempotent (a stamp in DIR records the requirements it holds).
# The Python is pyenv's 3.11 (its wheel cache holds torch 2.13.0+cpu and 2.14.1), else any
# python3.11 on PATH ($RLVR_PYTHON311 overrides). Exit 2 when there is no Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: ci/venv.sh DIR REQUIREMENTS" >&2; exit 2; }
dir=$1 req=$2
[ -f "$req" ] || { echo "ci/venv.sh: $req: no such requirements file" >&2; exit 2; }
want=$(sha256sum "$req" | cut -c1-64)
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
echo "[setup] $dir: pip install -r $req"
start=$(date +%s)
# --no-deps: the file pins every package, those they pull in included; pip check then proves it whole.
"$dir/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r "$req" > "$dir/.pip.log" 2>&1 ||
  { grep -v 'is ignored: it is neither' "$dir/.pip.log" | tail -5 >&2; echo "ci/venv.sh: $dir: pip install -r $req failed (log: $dir/.pip.log)" >&2; exit 1; }
"$dir/bin/python" -m pip check > /dev/null || { "$dir/bin/python" -m pip check >&2; echo "ci/venv.sh: $dir: missing or conflicting packages (above)" >&2; exit 1; }
"$dir/bin/python" -c 'import torch' || { echo "ci/venv.sh: $dir: torch does not import" >&2; exit 1; }
echo "$want" > "$dir/.rlvr-requirements"
echo "[setup] $dir: ready in $(( $(date +%s) - start )) s"
