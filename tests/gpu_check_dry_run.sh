#!/usr/bin/env bash
# gpu_check_dry_run.sh SOURCE_DIR BUILD_DIR ZOO: ci/gpu/prepare.sh and ci/gpu/check.sh --cpu-dry-run
# on this CPU machine, so the GPU check cannot rot between GPU loans: the bundle is made and under
# its size limit, every step that can run on a CPU passes, every other one is skipped with its
# reason, and the summary is written; bad input (no bundle, no CUDA without --cpu-dry-run, an
# unknown flag) exits 2 with one line.
set -euo pipefail
SRC=$1 BUILD=$2 ZOO=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "gpu_check_dry_run.sh: $*" >&2; exit 1; }
expect2() {  # expect2 REGEX CMD...: exit 2 and one stderr line matching REGEX
  local re=$1; shift
  set +e; "$@" > /dev/null 2> "$tmp/err"; local rc=$?; set -e
  [ "$rc" = 2 ] || fail "$* : exit $rc, expected 2"
  [ "$(wc -l < "$tmp/err")" = 1 ] && grep -Eq "$re" "$tmp/err" || fail "$* : stderr '$(cat "$tmp/err")' does not match '$re'"
}

echo "== bad input"
expect2 "ci/gpu/check.sh: .*/nope: no prepared bundle" bash "$SRC/ci/gpu/check.sh" --bundle "$tmp/nope" --cpu-dry-run --build-dir "$BUILD"
expect2 "ci/gpu/check.sh: unknown argument '--bogus'" bash "$SRC/ci/gpu/check.sh" --bogus
expect2 "ci/gpu/prepare.sh: unknown argument '--bogus'" bash "$SRC/ci/gpu/prepare.sh" --bogus
expect2 "ci/gpu/prepare.sh: .*/nozoo/synth-micro: no zoo member" bash "$SRC/ci/gpu/prepare.sh" --out "$tmp/b0" --zoo "$tmp/nozoo"

echo "== prepare"
bash "$SRC/ci/gpu/prepare.sh" --out "$tmp/bundle" --zoo "$ZOO"
[ -f "$tmp/bundle/MANIFEST.txt" ] || fail "no MANIFEST.txt"
bytes=$(du -sb "$tmp/bundle" | cut -f1)
[ "$bytes" -lt $((48 * 1024 * 1024)) ] || fail "bundle of $bytes bytes"
for f in deps/usr/include/toml++/toml.h deps/usr/include/sqlite3.h deps/usr/include/gtest/gtest.h \
         deps/usr/include/benchmark/benchmark.h deps/usr/include/nlohmann/json.hpp deps/usr/include/pcre2.h \
         deps/usr/include/utf8proc.h deps/usr/include/gloo/context.h tokenizers/qwen/tokenizer.json zoo/synth-micro/config.json; do
  [ -e "$tmp/bundle/$f" ] || fail "bundle lacks $f"
done
ls "$tmp"/bundle/deps/usr/lib/x86_64-linux-gnu/libsqlite3.so* "$tmp"/bundle/deps/usr/lib/x86_64-linux-gnu/libgtest.a > /dev/null || fail "bundle lacks libraries"

echo "== without CUDA, the GPU mode refuses with one line"
if ! command -v nvidia-smi > /dev/null; then
  expect2 "ci/gpu/check.sh: no CUDA GPU here" bash "$SRC/ci/gpu/check.sh" --bundle "$tmp/bundle" --out "$tmp/o0"
fi

echo "== the dry run"
bash "$SRC/ci/gpu/check.sh" --cpu-dry-run --bundle "$tmp/bundle" --build-dir "$BUILD" --out "$tmp/out" || fail "the dry run failed"
python3 - "$tmp/out/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
st = {x["name"]: x for x in s["steps"]}
assert s["mode"] == "cpu-dry-run", s["mode"]
for must in ["python-syntax", "build", "tokenize-qwen", "tokenize-llama3", "decode-rlvrbench", "grpo-cpu", "dist-gloo-1rank"]:
    assert st.get(must, {}).get("status") == "ok", f"{must}: {st.get(must)}"
for sk in ["zoo-in-hf", "hf-tokenizers-qwen", "decode-hf", "dist-nccl-1rank"]:
    assert st[sk]["status"] == "skipped" and st[sk]["detail"], f"{sk} not skipped with a reason"
assert not [x for x in s["steps"] if x["status"] == "FAILED"]
assert s["decode_bench"]["benchmarks"], "no decode benchmark rows"
print("summary ok:", len(st), "steps,", sum(x["status"] == "ok" for x in s["steps"]), "ok,",
      sum(x["status"] == "skipped" for x in s["steps"]), "skipped with reasons")
PY
grep -q "1 ranks (gloo)" "$tmp/out/dist-gloo-1rank.log" || fail "the 1-rank run formed no process group"
echo "gpu_check_dry_run.sh: all checks passed"
