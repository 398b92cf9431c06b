// bench_peaks.h: what the model benchmarks compare against, measured in the same process: the
// fp32 GEMM peak of LibTorch's BLAS at a given thread count and the memcpy bandwidth; and the FLOP
// counts of a decoder's work (2 FLOPs per multiply-add).
#pragma once
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <vector>

#include "models/model.h"
#include "util/cpu_kernels.h"
#include "util/malloc_tune.h"

namespace rlvr::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds this process has used, all threads.
inline double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// FLOPs of one token through the projections and the MLP (every layer), of attending to `keys`
// keys (QK^T and AV, every layer), and of the LM head for one position.
inline double matmul_flops_per_token(const ModelConfig& c) {
  double C = c.hidden_size, per_layer = C * (c.q_dim() + 2 * c.kv_dim()) + c.q_dim() * C + 3 * C * c.intermediate_size;
  return 2 * c.num_layers * per_layer;
}
inline double attn_flops(const ModelConfig& c, double keys) { return 4.0 * c.num_layers * c.q_dim() * keys; }
inline double head_flops(const ModelConfig& c) { return 2.0 * c.vocab_size * c.hidden_size; }

// Forward over one sequence of T tokens with the LM head at the last `head_positions` of them
// (a prefill: 1; teacher-forced log-probs of an R-token response: R).
inline double forward_flops(const ModelConfig& c, double T, double head_positions) {
  return T * matmul_flops_per_token(c) + head_positions * head_flops(c) + attn_flops(c, T * (T + 1) / 2.0);
}

// The best of 5 timings of four 1024^3 fp32 GEMMs at `threads` threads, GFLOP/s (cached per count).
inline double gemm_peak_gflops(int threads = 1) {
  static std::map<int, double> cache;
  auto it = cache.find(threads);
  if (it != cache.end()) return it->second;
  const int before = at::get_num_threads();
  at::set_num_threads(threads);
  torch::NoGradGuard g;
  auto a = torch::randn({1024, 1024}), b = torch::randn({1024, 1024});
  auto out = torch::mm(a, b);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    auto t0 = Clock::now();
    for (int i = 0; i < 4; ++i) torch::mm_out(out, a, b);
    best = std::max(best, 4 * 2.0 * 1024 * 1024 * 1024 / seconds_since(t0) / 1e9);
  }
  at::set_num_threads(before);
  return cache[threads] = best;
}

// The same GEMMs timed by the process's CPU seconds instead of the wall clock: GFLOP per CPU
// second, what a stage's CPU seconds compare with where other processes share the cores (the
// wall-clock peak then depends on the load at the moment it was measured).
inline double gemm_peak_gflops_cpu(int threads = 1) {
  static std::map<int, double> cache;
  auto it = cache.find(threads);
  if (it != cache.end()) return it->second;
  const int before = at::get_num_threads();
  at::set_num_threads(threads);
  torch::NoGradGuard g;
  auto a = torch::randn({1024, 1024}), b = torch::randn({1024, 1024});
  auto out = torch::mm(a, b);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const double c0 = cpu_seconds();
    for (int i = 0; i < 4; ++i) torch::mm_out(out, a, b);
    best = std::max(best, 4 * 2.0 * 1024 * 1024 * 1024 / (cpu_seconds() - c0) / 1e9);
  }
  at::set_num_threads(before);
  return cache[threads] = best;
}

// The best of 5 memcpy's of 256 MiB, GB/s counting read + write.
inline double memcpy_peak_gbs() {
  static double peak = [] {
    size_t n = size_t{256} << 20;
    std::vector<char> a(n, 1), b(n, 2);
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
      auto t0 = Clock::now();
      std::memcpy(b.data(), a.data(), n);
      volatile char sink = b[n / 2];
      (void)sink;
      best = std::max(best, 2.0 * static_cast<double>(n) / seconds_since(t0) / 1e9);
    }
    return best;
  }();
  return peak;
}

}  // namespace rlvr::bench

// A benchmark main that prints the CPU kernels in the benchmark context (the peaks and the stage
// timings depend on them; util/cpu_kernels.h pins them as rlvrbench-torch does).
#define RLVR_BENCHMARK_MAIN()                                                   \
  int main(int argc, char** argv) {                                             \
    rlvr::cpu_pins_or_reexec(argv); /* as rlvrbench-torch */                    \
    rlvr::malloc_tune();                                                        \
    ::benchmark::AddCustomContext("cpu_kernels", rlvr::cpu_kernels());          \
    ::benchmark::Initialize(&argc, argv);                                       \
    if (::benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;         \
    ::benchmark::RunSpecifiedBenchmarks();                                      \
    ::benchmark::Shutdown();                                                    \
    return 0;                                                                   \
  }
