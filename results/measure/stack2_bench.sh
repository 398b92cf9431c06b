#!/usr/bin/env bash
# stack2_bench.sh: bench/step_bench on the PyTorch 2.x stack, every configuration (zoo shapes at 128
# and 512 responses on 1 and 2 threads, the quick recipe on 1 thread), 3 repetitions each, into
# results/measure/step_bench-stack2.json (Google Benchmark's JSON: each stage's seconds, tokens/s
# and fraction of the fp32 GEMM peak measured in the same run). Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
build/bench/step_bench --benchmark_repetitions=3 --benchmark_out=results/measure/step_bench-stack2.json \
  --benchmark_out_format=json "$@"
