// decode_bench: prefill and greedy decode of a model folder on a device, at batch 1 and 64, against
// the memory bandwidth bound measured in the same run (ci/gpu/check.sh runs it on CUDA, bf16, on a
// random-weight model shaped like Qwen2.5-1.5B, beside transformers' generate() on the same shapes).
//   RLVR_BENCH_MODEL   HF model folder (default: a built-in 4-layer d=256 decoder, CPU-sized)
//   RLVR_BENCH_DEVICE  cpu (default) | cuda[:N]
//   RLVR_BENCH_DTYPE   float32 | bfloat16 | float16 (default: float32 on cpu, bfloat16 on cuda)
// counters: tok/s; decode also GB/s (every weight read once per step, plus the KV cache) and
// of_bw_peak = GB/s over the copy bandwidth of this device measured here (a 1 GiB device-to-device
// copy on CUDA, a 256 MiB memcpy on CPU): at batch 1 decode is bandwidth-bound, so this is the
// fraction of the bound reached.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_model.h"
#include "bench/bench_peaks.h"
#include "models/model.h"

namespace {

using namespace rlvr;
using namespace rlvr::bench;

constexpr int64_t kPromptLen = 128;  // tokens per prompt, prefill and decode alike
constexpr int64_t kNewTokens = 128;  // decode steps per iteration

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

torch::Device bench_device() { return parse_device(env_or("RLVR_BENCH_DEVICE", "cpu")); }

const Model& bench_model() {
  static Model m = [] {
    torch::Device dev = bench_device();
    torch::ScalarType dt = parse_dtype(env_or("RLVR_BENCH_DTYPE", ""), dev);
    std::string dir = env_or("RLVR_BENCH_MODEL", "");
    if (!dir.empty()) return model_load(dir, dev, dt);
    return model_init(bench::bench_config(), /*seed=*/1, {}, dev, dt);
  }();
  return m;
}

void device_sync() {
  if (bench_device().is_cuda()) torch::cuda::synchronize();
}

// Copy bandwidth of the bench device, GB/s counting read + write (best of 5).
double device_copy_gbs() {
  static double peak = [] {
    torch::Device dev = bench_device();
    if (!dev.is_cuda()) return memcpy_peak_gbs();
    int64_t n = int64_t{1} << 30;
    auto a = torch::ones({n}, torch::TensorOptions().dtype(torch::kUInt8).device(dev));
    auto b = torch::empty_like(a);
    b.copy_(a);
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
      device_sync();
      auto t0 = Clock::now();
      b.copy_(a);
      device_sync();
      best = std::max(best, 2.0 * static_cast<double>(n) / seconds_since(t0) / 1e9);
    }
    return best;
  }();
  return peak;
}

TokenBatch prompts(const Model& m, int64_t B) {
  std::vector<std::vector<int32_t>> rows(B);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t t = 0; t < kPromptLen; ++t) rows[b].push_back(static_cast<int32_t>((b * 131 + t * 17) % m.config.vocab_size));
  return batch_left_padded(rows, m.device);
}

double element_bytes(const Model& m) { return static_cast<double>(c10::elementSize(m.dtype)); }

void BM_Prefill(benchmark::State& state) {
  c10::InferenceMode guard;
  const Model& m = bench_model();
  int64_t B = state.range(0);
  auto x = prompts(m, B);
  double secs = 0;
  for (auto _ : state) {
    device_sync();
    auto t0 = Clock::now();
    KVCache cache = kv_cache_new(m, B, kPromptLen);
    auto h = model_hidden(m, x, &cache);
    benchmark::DoNotOptimize(model_logits(m, h.narrow(1, kPromptLen - 1, 1)).data_ptr());
    device_sync();
    secs += seconds_since(t0);
  }
  state.counters["tok/s"] = B * kPromptLen * state.iterations() / secs;
  state.SetLabel(bench_device().str() + " " + std::string(c10::toString(m.dtype)));
}
BENCHMARK(BM_Prefill)->Arg(1)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// Greedy decode of kNewTokens after a kPromptLen prefill (forward + argmax per step, no sampler
// bookkeeping): what generate() does per token once its prompt is cached.
void BM_Decode(benchmark::State& state) {
  c10::InferenceMode guard;
  const Model& m = bench_model();
  const auto& c = m.config;
  int64_t B = state.range(0);
  auto x = prompts(m, B);
  double secs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    KVCache cache = kv_cache_new(m, B, kPromptLen + kNewTokens);
    model_hidden(m, x, &cache);
    auto ids = torch::full({B, 1}, 7, torch::TensorOptions().dtype(torch::kInt64).device(m.device));
    auto valid = torch::ones({B, 1}, torch::TensorOptions().dtype(torch::kBool).device(m.device));
    device_sync();
    state.ResumeTiming();
    auto t0 = Clock::now();
    for (int64_t s = 0; s < kNewTokens; ++s) {
      TokenBatch step{ids, torch::full({B, 1}, kPromptLen + s, torch::TensorOptions().dtype(torch::kInt64).device(m.device)), valid};
      ids = model_logits(m, model_hidden(m, step, &cache)).argmax(-1);
    }
    device_sync();
    secs += seconds_since(t0);
  }
  double keys = kNewTokens * kPromptLen + kNewTokens * (kNewTokens + 1) / 2.0;  // keys attended over the steps
  double weight_bytes = element_bytes(m) * (matmul_flops_per_token(c) + head_flops(c)) / 2;  // read once a step
  double kv_bytes = element_bytes(m) * 2 * c.num_layers * c.kv_dim() * keys * B;
  double gbs = (kNewTokens * weight_bytes + kv_bytes) * state.iterations() / secs / 1e9;
  state.counters["tok/s"] = B * kNewTokens * state.iterations() / secs;
  state.counters["GB/s"] = gbs;
  state.counters["copy_GB/s"] = device_copy_gbs();
  state.counters["of_bw_peak"] = gbs / device_copy_gbs();
  state.SetLabel(bench_device().str() + " " + std::string(c10::toString(m.dtype)));
}
BENCHMARK(BM_Decode)->Arg(1)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

RLVR_BENCHMARK_MAIN()
