#!/usr/bin/env bash
# tests/reference_missing.sh SOURCE_DIR PYTHON [TOKENIZER_BENCH]
# A reference package missing from the environment fails each conformance script with one line on
# stderr naming it and exit status 2 (tests/reference_packages.py), never a traceback or a skip. Each
# script runs with one package hidden: a folder on PYTHONPATH, ahead of site-packages, whose package
# of that name raises ModuleNotFoundError as it imports (what a missing package does). The arguments
# only need to reach the imports. TOKENIZER_BENCH given: bench/tokenizer_bench, whose HF reference
# is tools/tokenizer_ref_hf.py, exits 2 too and passes the script's line on.
set -u
[ $# -ge 2 ] || { echo "usage: $0 SOURCE_DIR PYTHON [TOKENIZER_BENCH]" >&2; exit 2; }
src=$1 py=$2 bench=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
hide() {  # hide NAME: a PYTHONPATH folder where package NAME cannot be imported
  mkdir -p "$tmp/$1/$1"
  echo "raise ModuleNotFoundError(\"No module named '$1' (hidden by tests/reference_missing.sh)\", name='$1')" \
    > "$tmp/$1/$1/__init__.py"
  echo "$tmp/$1"
}
expect_missing() {  # expect_missing NAME SCRIPT_STEM SCRIPT [ARGS...]
  local name=$1 stem=$2; shift 2
  echo "== $stem without $name"
  PYTHONPATH=$(hide "$name") bash "$src/tests/cli_expect.sh" 2 \
    "^$stem: reference package '$name' cannot be imported: ModuleNotFoundError: No module named '$name'" - -- "$py" "$@" \
    || fails=$((fails + 1))
}
true_bin=$(type -P true)
expect_missing tokenizers hf_tokenizer_parity "$src/tests/hf_tokenizer_parity.py"
expect_missing tokenizers tokenizer_ref_hf "$src/tools/tokenizer_ref_hf.py" bench x y 1
expect_missing transformers make_hf_fixtures "$src/tools/make_hf_fixtures.py" --out "$tmp/never"
expect_missing numpy grpo_conformance "$src/tests/grpo_conformance.py" --bin "$true_bin"
expect_missing trl grpo_conformance "$src/tests/grpo_conformance.py" --bin "$true_bin"
expect_missing trl grpo_update_trl "$src/tests/grpo_update_trl.py" --bin "$true_bin" --zoo "$tmp/nozoo"
expect_missing math_verify grader_vs_math_verify "$src/tests/grader_vs_math_verify.py" --rlvrbench "$true_bin"
if [ -n "$bench" ]; then
  # google-benchmark writes its own context to stderr: here the status and the script's line are checked.
  echo "== tokenizer_bench without tokenizers"
  out=$(PYTHONPATH=$(hide tokenizers) RLVR_PYTHON="$py" RLVR_REF_SECONDS=0.1 "$bench" --benchmark_filter=hf_qwen 2>&1)
  status=$?
  if [ $status != 2 ] || ! grep -q "^tokenizer_ref_hf: reference package 'tokenizers' cannot be imported" <<<"$out" ||
     grep -q Traceback <<<"$out"; then
    echo "exit status $status (expected 2), output:"; echo "$out"; fails=$((fails + 1))
  else
    echo "ok: exit 2, $(grep -m1 '^tokenizer_ref_hf:' <<<"$out")"
  fi
fi
echo "$fails failed"
[ $fails = 0 ]
