// model_forward.cpp: RMSNorm, RoPE, grouped-query attention over a preallocated KV cache, SwiGLU MLP,
// the pre-norm (Qwen2/Llama) and post-norm (OLMo-2) blocks.
#include <cmath>
#include <limits>

#include "models/decode_attention.h"
#include "models/fused_ops.h"
#include "models/model.h"
#include "util/error.h"

namespace rlvr {

using torch::indexing::Slice;

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& w, double eps, bool weight_in_fp32) {
  // HF computes the statistic in fp32 and casts back; Qwen2/Llama multiply the weight after the
  // cast, OLMo-2 before it (identical in fp32, different roundings in bf16).
  if (fused_ops_apply(x) && w.scalar_type() == torch::kFloat32) return rms_norm_fused(x, w, eps);  // the same bits (fused_ops.h)
  auto x32 = x.to(torch::kFloat32);
  auto r = x32 * torch::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + eps);
  if (weight_in_fp32) return (w.to(torch::kFloat32) * r).to(x.scalar_type());
  return w * r.to(x.scalar_type());
}

torch::Tensor rope_inv_freq(const ModelConfig& c) {
  // As HF: 1 / theta^(2i/D) in float32, then llama3's piecewise rescaling by wavelength.
  int64_t D = c.head_dim;
  auto inv = 1.0 / torch::pow(c.rope_theta, torch::arange(0, D, 2, torch::kInt64).to(torch::kFloat32) / static_cast<double>(D));
  if (c.rope_scaling.type == "llama3") {
    const auto& s = c.rope_scaling;
    double old_len = static_cast<double>(s.original_max_position_embeddings);
    double low_wavelen = old_len / s.low_freq_factor;    // longer waves than this: divided by factor
    double high_wavelen = old_len / s.high_freq_factor;  // shorter waves than this: kept
    auto wavelen = 2.0 * M_PI / inv;
    auto scaled = torch::where(wavelen > low_wavelen, inv / s.factor, inv);
    auto smooth = (old_len / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
    auto smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
    auto medium = (wavelen >= high_wavelen).logical_and(wavelen <= low_wavelen);
    inv = torch::where(medium, smoothed, scaled);
  }
  return inv.contiguous();
}

std::pair<torch::Tensor, torch::Tensor> rope_cos_sin(const torch::Tensor& inv_freq, const torch::Tensor& pos,
                                                     torch::ScalarType dtype) {
  auto freqs = pos.to(torch::kFloat32).unsqueeze(-1) * inv_freq.to(pos.device());  // (B, T, D/2)
  auto emb = torch::cat({freqs, freqs}, -1);                                       // (B, T, D)
  return {emb.cos().to(dtype).unsqueeze(1), emb.sin().to(dtype).unsqueeze(1)};    // (B, 1, T, D)
}

torch::Tensor rope_apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  // chunk, not two narrows: the backward of a split is one cat, where each narrow's backward
  // zero-fills a tensor of x's full size and adds them (same values, a fifth of the memory traffic).
  auto halves = x.chunk(2, -1);
  return x * cos + torch::cat({-halves[1], halves[0]}, -1) * sin;
}

torch::Tensor repeat_kv(const torch::Tensor& x, int64_t groups) {
  if (groups == 1) return x;
  auto B = x.size(0), K = x.size(1), S = x.size(2), D = x.size(3);
  return x.unsqueeze(2).expand({B, K, groups, S, D}).reshape({B, K * groups, S, D});
}

KVCache kv_cache_new(const Model& m, int64_t batch, int64_t capacity) {
  const auto& c = m.config;
  auto opt = torch::TensorOptions().dtype(m.dtype).device(m.device);
  KVCache kv;
  kv.k = torch::zeros({c.num_layers, batch, c.num_kv_heads, capacity, c.head_dim}, opt);
  kv.v = torch::zeros({c.num_layers, batch, c.num_kv_heads, capacity, c.head_dim}, opt);
  kv.key_valid = torch::zeros({batch, capacity}, torch::TensorOptions().dtype(torch::kBool).device(m.device));
  return kv;
}

TokenBatch batch_left_padded(const std::vector<std::vector<int32_t>>& rows, torch::Device device) {
  int64_t B = static_cast<int64_t>(rows.size()), T = 0;
  for (size_t b = 0; b < rows.size(); ++b) {
    if (rows[b].empty()) throw_input("row " + std::to_string(b), "empty token sequence");
    T = std::max<int64_t>(T, static_cast<int64_t>(rows[b].size()));
  }
  auto ids = torch::zeros({B, T}, torch::kInt64);
  auto pos = torch::zeros({B, T}, torch::kInt64);
  auto valid = torch::zeros({B, T}, torch::kBool);
  auto ia = ids.accessor<int64_t, 2>();
  auto pa = pos.accessor<int64_t, 2>();
  auto va = valid.accessor<bool, 2>();
  for (int64_t b = 0; b < B; ++b) {
    int64_t n = static_cast<int64_t>(rows[b].size()), pad = T - n;
    for (int64_t i = 0; i < n; ++i) {
      ia[b][pad + i] = rows[b][i];
      pa[b][pad + i] = i;
      va[b][pad + i] = true;
    }
  }
  return {ids.to(device), pos.to(device), valid.to(device)};
}

namespace {

// Additive mask (B, 1, 1, T, S): query t (slot base+t) sees valid slots s <= base+t. A query always
// sees its own slot, so padding rows never meet an all -inf row (no NaN that could leak through
// 0 * NaN into real rows).
torch::Tensor attention_mask(const torch::Tensor& key_valid, int64_t base, int64_t T) {
  auto dev = key_valid.device();
  int64_t B = key_valid.size(0), S = key_valid.size(1);
  auto q = torch::arange(base, base + T, torch::TensorOptions().dtype(torch::kInt64).device(dev)).view({T, 1});
  auto k = torch::arange(S, torch::TensorOptions().dtype(torch::kInt64).device(dev)).view({1, S});
  auto allowed = (k <= q).unsqueeze(0).logical_and(key_valid.view({B, 1, S})).logical_or((k == q).unsqueeze(0));
  auto mask = torch::zeros({B, T, S}, torch::TensorOptions().dtype(torch::kFloat32).device(dev));
  mask.masked_fill_(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  return mask.view({B, 1, 1, T, S});
}

torch::Tensor attention(const Model& m, int64_t l, const torch::Tensor& h, const torch::Tensor& cos,
                        const torch::Tensor& sin, const torch::Tensor& mask, KVCache* cache) {
  const auto& c = m.config;
  const auto& w = m.w;
  int64_t B = h.size(0), T = h.size(1), H = c.num_heads, K = c.num_kv_heads, D = c.head_dim, G = H / K;
  int64_t Q = c.q_dim(), KV = c.kv_dim();
  auto qkv = torch::linear(h, w.qkv_w[l], w.qkv_b.defined() ? w.qkv_b[l] : torch::Tensor());  // (B, T, Q+2KV)
  torch::Tensor q, k, v;
  if (!c.qk_norm() && fused_ops_apply(qkv)) {  // fp32 CPU: one pass, the same bits (fused_ops.h)
    auto qkv_rot = qkv_rope(qkv, cos, sin, H, K, D);
    q = qkv_rot[0], k = qkv_rot[1], v = qkv_rot[2];
  } else {
    auto qkv_parts = qkv.split_with_sizes({Q, KV, KV}, -1);  // views; backward is one cat (rope_apply)
    q = qkv_parts[0], k = qkv_parts[1], v = qkv_parts[2];
    if (c.qk_norm()) {
      q = rms_norm(q, w.q_norm[l], c.rms_norm_eps, true);
      k = rms_norm(k, w.k_norm[l], c.rms_norm_eps, true);
    }
    q = rope_apply(q.reshape({B, T, H, D}).transpose(1, 2), cos, sin);  // (B, H, T, D)
    k = rope_apply(k.reshape({B, T, K, D}).transpose(1, 2), cos, sin);  // (B, K, T, D)
    v = v.reshape({B, T, K, D}).transpose(1, 2);                         // (B, K, T, D)
  }
  torch::Tensor keys = k, values = v;                                  // (B, K, S, D)
  if (cache) {
    int64_t S = cache->len + T;
    cache->k[l].narrow(2, cache->len, T).copy_(k);
    cache->v[l].narrow(2, cache->len, T).copy_(v);
    if (!mask.defined()) {  // a CPU fp32 decode step (model_hidden): one pass over the cache
      auto out = decode_attention(q, cache->k[l], cache->v[l], cache->key_valid, S, 1.0 / std::sqrt(static_cast<double>(D)));
      return torch::linear(out.view({B, T, Q}), w.o_w[l]);  // (B, H, 1, D) -> (B, 1, Q)
    }
    keys = cache->k[l].narrow(2, 0, S);
    values = cache->v[l].narrow(2, 0, S);
  }
  int64_t S = keys.size(2);
  // ATen's fused attention: one op for QK^T, the mask, the softmax and AV, and one for its
  // backward. Grouped queries share kv heads in HF's repeat_kv order (enable_gqa).
  auto out = at::scaled_dot_product_attention(q, keys, values, mask.view({B, 1, T, S}).to(q.scalar_type()), 0.0, false,
                                              1.0 / std::sqrt(static_cast<double>(D)), /*enable_gqa=*/G > 1);  // (B, H, T, D)
  out = out.transpose(1, 2).reshape({B, T, Q});
  return torch::linear(out, w.o_w[l]);
}

torch::Tensor mlp(const Model& m, int64_t l, const torch::Tensor& h) {
  int64_t F = m.config.intermediate_size;
  auto gate_up = torch::linear(h, m.w.gate_up_w[l]);  // (B, T, 2F)
  if (fused_ops_apply(gate_up)) return torch::linear(swiglu(gate_up), m.w.down_w[l]);  // the same bits (fused_ops.h)
  auto gu = gate_up.split(F, -1);  // (B, T, F) x 2, views of (B, T, 2F)
  return torch::linear(torch::silu(gu[0]) * gu[1], m.w.down_w[l]);
}

}  // namespace

torch::Tensor model_hidden(const Model& m, const TokenBatch& x, KVCache* cache) {
  const auto& c = m.config;
  int64_t B = x.ids.size(0), T = x.ids.size(1);
  torch::Tensor mask;  // undefined: attention() reads key_valid itself (decode_attention)
  if (cache) {
    if (cache->k.size(1) != B) throw std::invalid_argument("model_hidden: cache batch differs from input batch");
    if (cache->len + T > cache->capacity()) throw std::invalid_argument("model_hidden: KV cache full");
    cache->key_valid.narrow(1, cache->len, T).copy_(x.valid);
    if (!decode_attention_applies(m.device, m.dtype, T))
      mask = attention_mask(cache->key_valid.narrow(1, 0, cache->len + T), cache->len, T);
  } else {
    mask = attention_mask(x.valid, 0, T);
  }
  auto [cos, sin] = rope_cos_sin(m.inv_freq, x.pos, m.dtype);
  auto h = torch::embedding(m.w.embed, x.ids);  // (B, T, C)
  double eps = c.rms_norm_eps;
  for (int64_t l = 0; l < c.num_layers; ++l) {
    if (c.post_norm()) {
      // OLMo-2: norms on the sublayer outputs, inside the residual branch.
      h = h + rms_norm(attention(m, l, h, cos, sin, mask, cache), m.w.attn_norm[l], eps, true);
      h = h + rms_norm(mlp(m, l, h), m.w.mlp_norm[l], eps, true);
    } else {
      h = h + attention(m, l, rms_norm(h, m.w.attn_norm[l], eps, false), cos, sin, mask, cache);
      h = h + mlp(m, l, rms_norm(h, m.w.mlp_norm[l], eps, false));
    }
  }
  if (cache) cache->len += T;
  return rms_norm(h, m.w.final_norm, eps, c.post_norm());
}

torch::Tensor model_logits(const Model& m, const torch::Tensor& hidden) {
  return torch::linear(hidden, m.w.lm_head).to(torch::kFloat32);
}

torch::Tensor model_forward(const Model& m, const TokenBatch& x, KVCache* cache) {
  return model_logits(m, model_hidden(m, x, cache));
}

}  // namespace rlvr
