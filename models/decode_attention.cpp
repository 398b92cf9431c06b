// decode_attention.cpp: see decode_attention.h. Plain loops the compiler vectorizes with the
// baseline x86-64 instruction set (no FMA), so one binary gives the same bits on every CPU; the
// softmax is ATen's (its AVX2 kernel everywhere, util/cpu_kernels.h).
#include "models/decode_attention.h"

#include <limits>

namespace rlvr {

namespace {

constexpr int kLanes = 8;  // partial sums of a dot product, added in lane order at the end

float dot_lanes(const float* a, const float* b, int64_t n) {
  float acc[kLanes] = {};
  int64_t d = 0;
  for (; d + kLanes <= n; d += kLanes)
    for (int i = 0; i < kLanes; ++i) acc[i] += a[d + i] * b[d + i];
  float s = 0;
  for (float x : acc) s += x;
  for (; d < n; ++d) s += a[d] * b[d];
  return s;
}

}  // namespace

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
  const float neg_inf = -std::numeric_limits<float>::infinity();
  const auto sc = static_cast<float>(scale);

  // Visits every query head h of row b with its kv head j (query head j*G + g reads kv head j).
  auto for_each_head = [&](auto&& f) {
    for (int64_t b = 0; b < B; ++b)
      for (int64_t j = 0; j < K; ++j)
        for (int64_t g = 0; g < G; ++g) f(b, j, j * G + g);
  };
  auto scores = torch::empty({B, H, S}, q.options());  // (B, H, S)
  float* sp = scores.data_ptr<float>();
  for_each_head([&](int64_t b, int64_t j, int64_t h) {
    const bool* row_valid = vl + b * cap;
    const float* kb = kp + (b * K + j) * cap * D;  // (cap, D) keys of kv head j
    const float* qh = qp + (b * H + h) * D;
    float* out = sp + (b * H + h) * S;
    for (int64_t s = 0; s < S; ++s) out[s] = row_valid[s] ? dot_lanes(qh, kb + s * D, D) * sc : neg_inf;
  });
  const auto p = torch::softmax(scores, -1);  // (B, H, S); a row always has its own slot valid
  const float* pp = p.data_ptr<float>();

  auto out = torch::zeros({B, H, 1, D}, q.options());  // (B, H, 1, D)
  float* op = out.data_ptr<float>();
  for_each_head([&](int64_t b, int64_t j, int64_t h) {
    const float* vb = vp + (b * K + j) * cap * D;  // (cap, D) values of kv head j
    const float* ph = pp + (b * H + h) * S;
    float* oh = op + (b * H + h) * D;
    for (int64_t s = 0; s < S; ++s) {
      const float w = ph[s];
      if (w == 0.0f) continue;  // a masked slot: adds nothing
      const float* v = vb + s * D;
      for (int64_t d = 0; d < D; ++d) oh[d] += w * v[d];
    }
  });
  return out;
}

}  // namespace rlvr
