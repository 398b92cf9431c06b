#!/usr/bin/env bash
# ci/gpu/check.sh [--out DIR] [--bundle DIR] [--build-dir DIR] [--cpu-dry-run]: the GPU path in one
# command, on a machine with one CUDA GPU, PyTorch, transformers and tokenizers but none of this
# project's other dependencies (ci/gpu/prepare.sh, run first on the CPU machine, brings them in
# .gpu-bundle/). Everything it measures lands in OUT (default $OUT, else gpu-check/):
#   1. build: ci/cuda_build.sh (CUDA LibTorch of this machine's PyTorch, Release, its targets, all cores)
#   2. parity: tiny seeded Qwen2, Llama-3.x, OLMo-2 in several shapes made in transformers
#      (tools/make_hf_fixtures.py -> OUT/hf_fixtures, as CTest hf/fixtures makes them on CPU);
#      rlvrbench's logits, log-probs and greedy generations on CPU fp32, CUDA fp32 and CUDA bf16
#   3. zoo-in-hf: a zoo member rlvrbench wrote loads in transformers with the same logits
#   4. tokenizers: HF tokenizers ids == rlvrbench's on the parity corpus (Qwen, Llama-3.1), and
#      encode MB/s of both on one thread, same text, same run
#   5. decode: a random-weight Qwen2.5-1.5B-shaped model, bf16: decode_bench (rlvrbench) and
#      transformers' generate() at batch 1 and 64; decode's fraction of the copy-bandwidth bound
#   6. grpo: one GRPO step of a micro zoo cell on CUDA, then the same as a 1-rank NCCL group
# OUT/summary.json and OUT/summary.txt: every step's status (ok, FAILED, skipped: why) and seconds.
# --cpu-dry-run: the same script on a CPU machine (--build-dir: an existing CPU build, targets
# rebuilt if stale): what needs CUDA or transformers is skipped and says so; CTest runs it.
# Exit 0 when no step failed, 1 when one did, 2 when something it needs is missing (one line).
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "ci/gpu/check.sh: $*" >&2; exit 2; }
out=${OUT:-gpu-check} bundle="$src/.gpu-bundle" build="" dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a value"; out=$2; shift ;;
    --bundle) [ $# -ge 2 ] || die "--bundle needs a value"; bundle=$2; shift ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build=$2; shift ;;
    --cpu-dry-run) dry=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

# --- what must be here before anything runs ---
[ -f "$bundle/MANIFEST.txt" ] || die "$bundle: no prepared bundle (run ci/gpu/prepare.sh on the CPU machine and carry .gpu-bundle with the tree)"
for f in deps/usr/include/toml++/toml.h tokenizers/qwen/tokenizer.json tokenizers/llama3/tokenizer.json zoo/synth-micro/model.safetensors; do
  [ -e "$bundle/$f" ] || die "$bundle/$f: missing from the bundle (re-run ci/gpu/prepare.sh)"
done
py=$(command -v python3 || true)
if [ "$dry" = 0 ]; then
  command -v nvidia-smi > /dev/null && nvidia-smi -L > /dev/null 2>&1 || die "no CUDA GPU here (nvidia-smi -L failed); on a CPU machine use --cpu-dry-run"
  command -v nvcc > /dev/null || die "nvcc not on PATH: the CUDA build needs the CUDA toolkit"
  [ -n "$py" ] || die "python3 not found: the parity checks need PyTorch and transformers"
  "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2> /dev/null || die "python3's torch has no CUDA (torch.cuda.is_available() is false)"
  "$py" -c 'import transformers, tokenizers, safetensors' 2> /dev/null || die "python3 lacks transformers, tokenizers or safetensors"
  [ -n "$build" ] || build="$src/build-gpu"
else
  [ -n "$build" ] || die "--cpu-dry-run needs --build-dir (a configured CPU build, e.g. build)"
  [ -f "$build/CMakeCache.txt" ] || die "$build: not a configured build"
fi
mkdir -p "$out" || die "$out: cannot create"
out=$(cd "$out" && pwd)
bundle=$(cd "$bundle" && pwd)
: > "$out/steps.tsv"
t_start=$(date +%s)
failed=0

# step NAME LIMIT_S CMD...: run one step under a time limit, its output in OUT/NAME.log.
step() {
  local name=$1 limit=$2; shift 2
  local t0=$(date +%s) rc
  echo "[gpu check] $name ..."
  # A subshell, so a step may be a function of this script; a watchdog ends it (and its children) at the limit.
  ( "$@" ) > "$out/$name.log" 2>&1 &
  local pid=$!
  ( sleep "$limit"; touch "$out/.$name.timeout"; pkill -TERM -P "$pid"; kill -TERM "$pid" ) > /dev/null 2>&1 &
  local dog=$!
  wait "$pid"; rc=$?
  kill "$dog" 2> /dev/null; wait "$dog" 2> /dev/null
  [ -e "$out/.$name.timeout" ] && { rc=124; rm -f "$out/.$name.timeout"; }
  local dt=$(( $(date +%s) - t0 ))
  if [ $rc = 0 ]; then
    printf '%s\tok\t%s\t\n' "$name" "$dt" >> "$out/steps.tsv"
  else
    failed=1
    local why="exit $rc"; [ $rc = 124 ] && why="over its ${limit} s limit"
    printf '%s\tFAILED\t%s\t%s (log: %s.log)\n' "$name" "$dt" "$why" "$name" >> "$out/steps.tsv"
    tail -5 "$out/$name.log" | sed 's/^/    /'
  fi
  echo "[gpu check] $name: $(tail -1 "$out/steps.tsv" | cut -f2) in ${dt} s"
  return $rc
}
skip() { printf '%s\tskipped\t0\t%s\n' "$1" "$2" >> "$out/steps.tsv"; echo "[gpu check] $1: skipped: $2"; }

W="$build/app/rlvrbench"
corpus="$src/tests/data/tokenizer_corpus.jsonl"
export RLVRBENCH_ZOO="$bundle/zoo"

# --- environment: what this machine is ---
{
  echo "date: $(date -u +%FT%TZ)"; echo "mode: $([ $dry = 1 ] && echo cpu-dry-run || echo gpu)"
  echo "commit: $(git -C "$src" rev-parse HEAD 2> /dev/null || echo unknown)"
  echo "cores: $(nproc)"; uname -srm
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  command -v nvcc > /dev/null && nvcc --version | tail -1
  [ -n "$py" ] && "$py" -c 'import sys; print("python", sys.version.split()[0])'
  [ -n "$py" ] && "$py" -c 'import torch, transformers, tokenizers; print("torch", torch.__version__, "transformers", transformers.__version__, "tokenizers", tokenizers.__version__)' 2> /dev/null
} > "$out/env.txt" 2>&1

# --- the Python checks at least parse (the dry run cannot import transformers) ---
[ -n "$py" ] && step python-syntax 30 "$py" -m py_compile "$src/tools/make_hf_fixtures.py" "$src/tools/gpu_checks.py"

# --- 2a (before the build: the parity test is registered when its fixtures exist) ---
fixtures="$out/hf_fixtures"
if [ "$dry" = 0 ]; then
  step hf-fixtures 120 "$py" "$src/tools/make_hf_fixtures.py" --out "$fixtures"
else
  fixtures=""
  skip hf-fixtures "needs transformers here (CTest hf/fixtures + hf/model_parity_cpu_* run the CPU parity from the project environment)"
fi

# --- 1: build ---
targets=(rlvrbench rlvrbench-torch decode_bench)
[ -n "$fixtures" ] && [ -f "$fixtures/manifest.json" ] && targets+=(model_hf_parity_test)
if [ "$dry" = 0 ]; then
  # ci/cuda_build.sh: the CUDA configuration CI compiles and links (same targets, same options),
  # here against this machine's PyTorch (any 2.x) and the bundle's Debian packages.
  deps="$bundle/deps/usr"
  export PKG_CONFIG_PATH="$deps/lib/x86_64-linux-gnu/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$bundle/deps"
  arch=${TORCH_CUDA_ARCH_LIST:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1)}
  configure() {
    bash "$src/ci/cuda_build.sh" --python "$py" --torch-version "" --build-dir "$build" --deps "$deps" --arch "$arch" \
      -- -DRLVR_NODE_MODULES="$bundle/node_modules_absent"
  }
  step build 420 configure || { echo "[gpu check] the build failed: nothing else can run"; }
else
  step build 900 cmake --build "$build" --target "${targets[@]}"
fi
built=0; [ -x "$W" ] && [ -x "$build/app/rlvrbench-torch" ] && built=1

# --- 2: parity with transformers ---
if [ "$built" = 1 ] && [ -x "$build/models/model_hf_parity_test" ] && [ -n "$fixtures" ] && [ -f "$fixtures/manifest.json" ]; then
  for dd in "cpu float32" "cuda float32" "cuda bfloat16"; do
    set -- $dd
    if [ "$dry" = 1 ] && [ "$1" = cuda ]; then skip "parity-$1-$2" "needs CUDA"; continue; fi
    step "parity-$1-$2" 120 env RLVR_HF_FIXTURES="$fixtures" RLVR_PARITY_DEVICE="$1" RLVR_PARITY_DTYPE="$2" "$build/models/model_hf_parity_test"
  done
else
  skip parity "no fixtures or no build"
fi

# --- 3: a checkpoint rlvrbench wrote, in transformers ---
if [ "$dry" = 1 ]; then skip zoo-in-hf "needs transformers"
elif [ "$built" = 1 ]; then step zoo-in-hf 120 "$py" "$src/tools/make_hf_fixtures.py" --check-dir "$bundle/zoo/synth-micro" --rlvrbench "$W"
else skip zoo-in-hf "no build"; fi

# --- 4: tokenizers ---
if [ "$built" = 1 ]; then
  rep="$out/corpus_x20.jsonl"
  for i in $(seq 20); do cat "$corpus"; done > "$rep"
  for t in qwen llama3; do
    tj="$bundle/tokenizers/$t/tokenizer.json"
    ours() { "$W" tokenize --tokenizer "$tj" < "$corpus" > "$out/ids-$t.jsonl" && "$W" tokenize --tokenizer "$tj" --stats < "$rep" 2> "$out/stats-$t.txt" > /dev/null && cat "$out/stats-$t.txt"; }
    step "tokenize-$t" 120 ours
    if [ "$dry" = 1 ]; then skip "hf-tokenizers-$t" "needs HF tokenizers"
    else step "hf-tokenizers-$t" 300 "$py" "$src/tools/gpu_checks.py" tokenizers --tokenizer "$tj" --corpus "$corpus" --ids "$out/ids-$t.jsonl" --rlvrbench-stats "$out/stats-$t.txt" --out "$out/tokenizers-$t.json"; fi
  done
  rm -f "$rep"
else skip tokenizers "no build"; fi

# --- 5: decode and prefill ---
if [ "$built" = 1 ]; then
  if [ "$dry" = 1 ]; then
    step decode-rlvrbench 300 env RLVR_BENCH_DEVICE=cpu "$build/bench/decode_bench" --benchmark_filter='/1/' --benchmark_min_time=0.01 --benchmark_out="$out/decode_bench.json" --benchmark_out_format=json
    skip decode-hf "needs CUDA and transformers"
  else
    dm="$build/qwen25-1.5b-random"
    step decode-model 180 "$py" "$src/tools/gpu_checks.py" decode-model --out "$dm" --tokenizer "$bundle/tokenizers/qwen/tokenizer.json" &&
      step decode-rlvrbench 240 env RLVR_BENCH_MODEL="$dm" RLVR_BENCH_DEVICE=cuda RLVR_BENCH_DTYPE=bfloat16 "$build/bench/decode_bench" --benchmark_min_time=0.5 --benchmark_out="$out/decode_bench.json" --benchmark_out_format=json &&
      step decode-hf 240 "$py" "$src/tools/gpu_checks.py" hf-generate --model "$dm" --batches 1,64 --out "$out/hf_generate.json"
  fi
else skip decode "no build"; fi

# --- 6: one GRPO step, then a 1-rank NCCL group ---
if [ "$built" = 1 ]; then
  cell=(--suite "$src/tests/data/suites/gpu_micro.toml" --cell gpu-micro/synth-micro/ground_truth/1 --db "$out/grpo.db")
  if [ "$dry" = 1 ]; then
    step grpo-cpu 300 "$W" train "${cell[@]}" --set run.device=cpu
    step dist-gloo-1rank 300 env WORLD_SIZE=1 RANK=0 MASTER_PORT=$((20000 + RANDOM % 20000)) "$W" train "${cell[@]}" --set run.device=cpu --set train.backend=gloo
    skip dist-nccl-1rank "needs CUDA"
  else
    step grpo-cuda 300 "$W" train "${cell[@]}"
    step dist-nccl-1rank 300 env WORLD_SIZE=1 RANK=0 MASTER_PORT=$((20000 + RANDOM % 20000)) "$W" train "${cell[@]}" --set train.backend=nccl
  fi
else skip grpo "no build"; fi

# --- summary ---
total=$(( $(date +%s) - t_start ))
{
  printf 'ci/gpu/check.sh (%s) in %d s\n' "$([ $dry = 1 ] && echo cpu-dry-run || echo gpu)" "$total"
  awk -F'\t' '{ printf "  %-22s %-8s %4ss  %s\n", $1, $2, $3, $4 }' "$out/steps.tsv"
  grep -h '^parity ' "$out"/parity-*.log 2> /dev/null | sed 's/^/  /'
} > "$out/summary.txt"
"${py:-python3}" - "$out" "$dry" "$total" <<'PY' 2> /dev/null || true
import json, sys, os
out, dry, total = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
steps = [dict(zip(["name", "status", "seconds", "detail"], l.rstrip("\n").split("\t"))) for l in open(os.path.join(out, "steps.tsv"))]
res = {"mode": "cpu-dry-run" if dry else "gpu", "seconds": total, "steps": steps}
for f in ("tokenizers-qwen.json", "tokenizers-llama3.json", "hf_generate.json", "decode_bench.json"):
    p = os.path.join(out, f)
    if os.path.exists(p):
        res[f[:-5]] = json.load(open(p))
json.dump(res, open(os.path.join(out, "summary.json"), "w"), indent=2)
PY
cat "$out/summary.txt"
exit $failed
