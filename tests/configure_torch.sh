#!/usr/bin/env bash
# tests/configure_torch.sh SOURCE_DIR: configure stops with one line naming what is missing and the
# command that installs it when the project environment is absent, has no torch, or has a torch of
# another version (cmake/TorchFind.cmake).
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect NAME PYTHON PATTERN: configure with RLVR_PYTHON=PYTHON fails, and its rlvrbench line matches.
expect() {
  local name=$1 py=$2 want=$3 rc=0
  cmake -S "$src" -B "$tmp/b-$name" -G Ninja -DRLVR_SUITES=OFF -DRLVR_BUILD_BENCH=OFF -DRLVR_PYTHON="$py" > "$tmp/$name.log" 2>&1 || rc=$?
  [ $rc != 0 ] || fail "$name: configure succeeded"
  local lines
  lines=$(grep -c '^rlvrbench configure: ' "$tmp/$name.log" || true)
  [ "$lines" = 1 ] || fail "$name: $lines 'rlvrbench configure:' lines, want 1: $(cat "$tmp/$name.log")"
  grep -q "^rlvrbench configure: $want (run: bash ci/setup.sh)" "$tmp/$name.log" || fail "$name: want '$want', got: $(grep '^rlvrbench configure: ' "$tmp/$name.log")"
  echo "ok $name: $(grep '^rlvrbench configure: ' "$tmp/$name.log")"
}
expect missing "$tmp/no-venv/bin/python" "no project environment: $tmp/no-venv/bin/python does not exist"
printf '#!/bin/sh\nexit 1\n' > "$tmp/no-torch"; chmod +x "$tmp/no-torch"
expect no-torch "$tmp/no-torch" "$tmp/no-torch cannot import torch"
printf '#!/bin/sh\nprintf "2.12.0\\n/nowhere\\n"\n' > "$tmp/old-torch"; chmod +x "$tmp/old-torch"
expect old-torch "$tmp/old-torch" "$tmp/old-torch has torch 2.12.0, this build needs 2.13.0"
printf '#!/bin/sh\nprintf "1.13.1\\n/nowhere\\n"\n' > "$tmp/torch1"; chmod +x "$tmp/torch1"
cmake -S "$src" -B "$tmp/b-any" -G Ninja -DRLVR_SUITES=OFF -DRLVR_BUILD_BENCH=OFF -DRLVR_TORCH_VERSION= -DRLVR_PYTHON="$tmp/torch1" > "$tmp/any.log" 2>&1 && fail "torch1: configure succeeded"
grep -q "^rlvrbench configure: $tmp/torch1 has torch 1.13.1, rlvrbench needs PyTorch 2.x (run: bash ci/setup.sh)" "$tmp/any.log" || fail "torch1: $(grep '^rlvrbench configure: ' "$tmp/any.log")"
echo "ok torch1: $(grep '^rlvrbench configure: ' "$tmp/any.log")"
