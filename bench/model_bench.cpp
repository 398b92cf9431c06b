// model_bench: prefill and decode throughput of a 4-layer, d=256 decoder on CPU (fp32), at batch 1
// and 64, each with achieved GFLOP/s (and GB/s for decode) beside this machine's peaks measured in
// the same binary: an fp32 GEMM (1024^3, LibTorch's BLAS) and a large memcpy.
//   counters: tok/s, GFLOP/s, of_gemm_peak (achieved / GEMM peak), GB/s, of_bw_peak (decode)
// Model: Llama-style (GQA), V=2048, C=256, L=4, H=4, K=2, D=64, F=688 (the synthetic zoo's scale).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "bench/bench_model.h"
#include "bench/bench_peaks.h"
#include "models/model.h"
#include "models/sampler.h"

namespace {

using namespace rlvr;
using namespace rlvr::bench;

const Model& bench_model() {
  static Model m = model_init(bench_config(), 1);
  return m;
}

void BM_GemmPeak(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(gemm_peak_gflops());
  state.counters["GFLOP/s"] = gemm_peak_gflops();
  state.counters["memcpy_GB/s"] = memcpy_peak_gbs();
}
BENCHMARK(BM_GemmPeak)->Iterations(1)->Unit(benchmark::kMillisecond);

std::vector<std::vector<int32_t>> prompts(int64_t B, int64_t T) {
  std::vector<std::vector<int32_t>> rows(B);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < T; ++t) rows[b].push_back(static_cast<int32_t>((b * 131 + t * 17) % 2048));
  return rows;
}

// Prefill: B prompts of T tokens into a KV cache, logits of the last position (what the sampler does).
void BM_Prefill(benchmark::State& state) {
  c10::InferenceMode guard;
  const Model& m = bench_model();
  int64_t B = state.range(0), T = state.range(1);
  auto x = batch_left_padded(prompts(B, T));
  double secs = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    KVCache cache = kv_cache_new(m, B, T);
    auto h = model_hidden(m, x, &cache);
    benchmark::DoNotOptimize(model_logits(m, h.narrow(1, T - 1, 1)).data_ptr());
    secs += std::chrono::duration<double>(Clock::now() - t0).count();
  }
  const auto& c = m.config;
  double flops = B * (T * matmul_flops_per_token(c) + attn_flops(c, T * (T + 1) / 2.0) + head_flops(c));
  double gflops = flops * state.iterations() / secs / 1e9;
  state.counters["tok/s"] = B * T * state.iterations() / secs;
  state.counters["GFLOP/s"] = gflops;
  state.counters["of_gemm_peak"] = gflops / gemm_peak_gflops();
}
BENCHMARK(BM_Prefill)->Args({1, 128})->Args({64, 128})->Unit(benchmark::kMillisecond)->UseRealTime();

// Decode: after a 64-token prompt, 64 steps of one token per row with the KV cache (forward only).
void BM_Decode(benchmark::State& state) {
  c10::InferenceMode guard;
  const Model& m = bench_model();
  const auto& c = m.config;
  int64_t B = state.range(0), P = 64, N = 64;
  auto x = batch_left_padded(prompts(B, P));
  double secs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    KVCache cache = kv_cache_new(m, B, P + N);
    model_hidden(m, x, &cache);
    auto ids = torch::full({B, 1}, 7, torch::kInt64);
    auto valid = torch::ones({B, 1}, torch::kBool);
    state.ResumeTiming();
    auto t0 = Clock::now();
    for (int64_t s = 0; s < N; ++s) {
      TokenBatch step{ids, torch::full({B, 1}, P + s, torch::kInt64), valid};
      auto logits = model_logits(m, model_hidden(m, step, &cache));
      ids = logits.argmax(-1);
    }
    secs += std::chrono::duration<double>(Clock::now() - t0).count();
  }
  double keys = N * P + N * (N + 1) / 2.0;  // keys attended over the N steps
  double flops = B * (N * (matmul_flops_per_token(c) + head_flops(c)) + attn_flops(c, keys));
  // Bytes a step must read: every weight once, plus each row's cache.
  double weight_bytes = 4.0 * (matmul_flops_per_token(c) + head_flops(c)) / 2;
  double kv_bytes = 4.0 * 2 * c.num_layers * c.kv_dim() * keys * B;
  double gflops = flops * state.iterations() / secs / 1e9;
  double gbs = (N * weight_bytes + kv_bytes) * state.iterations() / secs / 1e9;
  state.counters["tok/s"] = B * N * state.iterations() / secs;
  state.counters["GFLOP/s"] = gflops;
  state.counters["of_gemm_peak"] = gflops / gemm_peak_gflops();
  state.counters["GB/s"] = gbs;
  state.counters["of_bw_peak"] = gbs / memcpy_peak_gbs();
}
BENCHMARK(BM_Decode)->Arg(1)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole rollout engine (prefill, sampling at temperature 1, bookkeeping): 64 new tokens per
// sequence, 8 prompts x 8 samples, so the per-token overhead of sample() shows against BM_Decode/64.
void BM_SampleRollout(benchmark::State& state) {
  const Model& m = bench_model();
  std::vector<SamplePrompt> ps;
  for (auto& r : prompts(8, 64)) ps.push_back({std::to_string(ps.size()), r});
  SamplingParams p;
  p.n = 8;
  p.max_new_tokens = 64;
  p.eos_ids = {2047};
  double secs = 0, toks = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto out = sample(m, ps, p);
    secs += std::chrono::duration<double>(Clock::now() - t0).count();
    for (auto& s : out) toks += s.ids.size();
  }
  state.counters["tok/s"] = toks / secs;
}
BENCHMARK(BM_SampleRollout)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

RLVR_BENCHMARK_MAIN()
