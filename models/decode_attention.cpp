// decode_attention.cpp: see decode_attention.h. Plain loops the compiler vectorizes, without FMA
// (-ffp-contract=off), for the baseline x86-64 instruction set and for AVX2, the same bits either
// way, so one binary gives the same bits on every CPU; the softmax is ATen's (its AVX2 kernel
// everywhere, util/cpu_kernels.h).
#include "models/decode_attention.h"

#include <atomic>
#include <limits>

namespace rlvr {

namespace {

constexpr int kLanes = 8;  // partial sums of a dot product, added in lane order at the end

[[gnu::always_inline]] inline float dot_lanes(const float* a, const float* b, int64_t n) {
  float acc[kLanes] = {};
  int64_t d = 0;
  for (; d + kLanes <= n; d += kLanes)
    for (int i = 0; i < kLanes; ++i) acc[i] += a[d + i] * b[d + i];
  float s = 0;
  for (float x : acc) s += x;
  for (; d < n; ++d) s += a[d] * b[d];
  return s;
}

// One query head's scores over S slots of its kv head's keys (cap x D), and its weighted sum of
// the values. Written once, compiled twice below: for the baseline instruction set (SSE2, 4 lanes
// a register) and for AVX2 (8). An IEEE multiply or add rounds the same whatever the register
// width, and the file is compiled without FMA contraction, so both give the same bits.
[[gnu::always_inline]] inline void head_scores(const float* qh, const float* kb, const bool* valid, int64_t S, int64_t D,
                                               float scale, float* out) {
  const float neg_inf = -std::numeric_limits<float>::infinity();
  for (int64_t s = 0; s < S; ++s) out[s] = valid[s] ? dot_lanes(qh, kb + s * D, D) * scale : neg_inf;
}

[[gnu::always_inline]] inline void head_values(const float* ph, const float* vb, int64_t S, int64_t D, float* oh) {
  for (int64_t s = 0; s < S; ++s) {
    const float w = ph[s];
    if (w == 0.0f) continue;  // a masked slot: adds nothing
    const float* v = vb + s * D;
    for (int64_t d = 0; d < D; ++d) oh[d] += w * v[d];
  }
}

void head_scores_base(const float* qh, const float* kb, const bool* valid, int64_t S, int64_t D, float scale, float* out) {
  head_scores(qh, kb, valid, S, D, scale, out);
}
void head_values_base(const float* ph, const float* vb, int64_t S, int64_t D, float* oh) { head_values(ph, vb, S, D, oh); }

#if defined(__x86_64__)
[[gnu::target("avx2")]] void head_scores_avx2(const float* qh, const float* kb, const bool* valid, int64_t S, int64_t D,
                                              float scale, float* out) {
  head_scores(qh, kb, valid, S, D, scale, out);
}
[[gnu::target("avx2")]] void head_values_avx2(const float* ph, const float* vb, int64_t S, int64_t D, float* oh) {
  head_values(ph, vb, S, D, oh);
}
bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
std::atomic<bool> g_avx2{cpu_has_avx2()};
#else
std::atomic<bool> g_avx2{false};
#endif

}  // namespace

void decode_attention_use_avx2(bool on) {
#if defined(__x86_64__)
  g_avx2 = on && cpu_has_avx2();
#else
  (void)on;
#endif
}

bool decode_attention_applies(torch::Device device, torch::ScalarType dtype, int64_t T) {
  return device.is_cpu() && dtype == torch::kFloat32 && T == 1 && !torch::GradMode::is_enabled();
}

torch::Tensor decode_attention(const torch::Tensor& q, const torch::Tensor& k_cache, const torch::Tensor& v_cache,
                               const torch::Tensor& key_valid, int64_t S, double scale) {
  const int64_t B = q.size(0), H = q.size(1), D = q.size(3);
  const int64_t K = k_cache.size(1), cap = k_cache.size(2), G = H / K;
  const auto qc = q.contiguous();
  const auto kc = k_cache.contiguous(), vc = v_cache.contiguous();
  const auto valid = key_valid.contiguous();
  const float* qp = qc.data_ptr<float>();
  const float* kp = kc.data_ptr<float>();
  const float* vp = vc.data_ptr<float>();
  const bool* vl = valid.data_ptr<bool>();
  const auto sc = static_cast<float>(scale);
#if defined(__x86_64__)
  const bool avx2 = g_avx2;
  auto scores_fn = avx2 ? head_scores_avx2 : head_scores_base;
  auto values_fn = avx2 ? head_values_avx2 : head_values_base;
#else
  auto scores_fn = head_scores_base;
  auto values_fn = head_values_base;
#endif

  // Visits every query head h of row b with its kv head j (query head j*G + g reads kv head j).
  auto for_each_head = [&](auto&& f) {
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < K; ++j)
        for (int64_t g = 0; g < G; ++g) f(b, j, j * G + g);
  };
  auto scores = torch::empty({B, H, S}, q.options());  // (B, H, S)
  float* sp = scores.data_ptr<float>();
  for_each_head([&](int64_t b, int64_t j, int64_t h) {
    // (cap, D) keys of kv head j
    scores_fn(qp + (b * H + h) * D, kp + (b * K + j) * cap * D, vl + b * cap, S, D, sc, sp + (b * H + h) * S);
  });
  const auto p = torch::softmax(scores, -1);  // (B, H, S); a row always has its own slot valid
  const float* pp = p.data_ptr<float>();

  auto out = torch::zeros({B, H, 1, D}, q.options());  // (B, H, 1, D)
  float* op = out.data_ptr<float>();
  for_each_head([&](int64_t b, int64_t j, int64_t h) {
    // (cap, D) values of kv head j
    values_fn(pp + (b * H + h) * S, vp + (b * K + j) * cap * D, S, D, op + (b * H + h) * D);
  });
  return out;
}

}  // namespace rlvr
