// model_init.cpp: devices and dtypes, random initialisation, the HF view of the stacked weights.
#include <ATen/CPUGeneratorImpl.h>

#include "models/model.h"
#include "util/error.h"

namespace rlvr {

torch::Device parse_device(const std::string& s) {
  if (s == "cpu") return torch::kCPU;
  if (s == "cuda" || s.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw_input("--device", "'" + s + "' requested, but this LibTorch build has no CUDA or no GPU is visible (use --device cpu)");
    try {
      return torch::Device(s);
    } catch (const std::exception&) {
      throw_input("--device", "bad device '" + s + "'");
    }
  }
  throw_input("--device", "unsupported '" + s + "' (supported: cpu, cuda, cuda:N)");
}

torch::ScalarType dtype_scalar_type(Dtype d, torch::Device device) {
  switch (d) {
    case Dtype::automatic: return device.is_cuda() ? torch::kBFloat16 : torch::kFloat32;
    case Dtype::float32: return torch::kFloat32;
    case Dtype::bfloat16: return torch::kBFloat16;
    case Dtype::float16: return torch::kFloat16;
  }
  return torch::kFloat32;
}

torch::ScalarType parse_dtype(const std::string& s, torch::Device device) {
  auto d = enum_parse<Dtype>(s);
  if (!d) throw_input("--dtype", "unsupported '" + s + "' (supported: float32, bfloat16, float16)");
  return dtype_scalar_type(*d, device);
}

std::vector<torch::Tensor> Model::parameters() const {
  std::vector<torch::Tensor> p = {w.embed, w.final_norm, w.attn_norm, w.mlp_norm, w.qkv_w, w.o_w, w.gate_up_w, w.down_w};
  if (!config.tie_word_embeddings) p.push_back(w.lm_head);
  for (const auto& t : {w.qkv_b, w.q_norm, w.k_norm})
    if (t.defined()) p.push_back(t);
  return p;
}

std::vector<std::pair<std::string, torch::Tensor>> Model::named_hf_tensors() const {
  const auto& c = config;
  int64_t Q = c.q_dim(), KV = c.kv_dim(), F = c.intermediate_size;
  std::vector<std::pair<std::string, torch::Tensor>> out;
  out.emplace_back("model.embed_tokens.weight", w.embed);
  out.emplace_back("model.norm.weight", w.final_norm);
  if (!c.tie_word_embeddings) out.emplace_back("lm_head.weight", w.lm_head);
  for (int64_t l = 0; l < c.num_layers; ++l) {
    std::string p = "model.layers." + std::to_string(l) + ".";
    if (c.post_norm()) {
      out.emplace_back(p + "post_attention_layernorm.weight", w.attn_norm[l]);
      out.emplace_back(p + "post_feedforward_layernorm.weight", w.mlp_norm[l]);
      out.emplace_back(p + "self_attn.q_norm.weight", w.q_norm[l]);
      out.emplace_back(p + "self_attn.k_norm.weight", w.k_norm[l]);
    } else {
      out.emplace_back(p + "input_layernorm.weight", w.attn_norm[l]);
      out.emplace_back(p + "post_attention_layernorm.weight", w.mlp_norm[l]);
    }
    out.emplace_back(p + "self_attn.q_proj.weight", w.qkv_w[l].narrow(0, 0, Q));
    out.emplace_back(p + "self_attn.k_proj.weight", w.qkv_w[l].narrow(0, Q, KV));
    out.emplace_back(p + "self_attn.v_proj.weight", w.qkv_w[l].narrow(0, Q + KV, KV));
    if (c.qkv_bias) {
      out.emplace_back(p + "self_attn.q_proj.bias", w.qkv_b[l].narrow(0, 0, Q));
      out.emplace_back(p + "self_attn.k_proj.bias", w.qkv_b[l].narrow(0, Q, KV));
      out.emplace_back(p + "self_attn.v_proj.bias", w.qkv_b[l].narrow(0, Q + KV, KV));
    }
    out.emplace_back(p + "self_attn.o_proj.weight", w.o_w[l]);
    out.emplace_back(p + "mlp.gate_proj.weight", w.gate_up_w[l].narrow(0, 0, F));
    out.emplace_back(p + "mlp.up_proj.weight", w.gate_up_w[l].narrow(0, F, F));
    out.emplace_back(p + "mlp.down_proj.weight", w.down_w[l]);
  }
  return out;
}

Model model_init(const ModelConfig& c, uint64_t seed, const InitOptions& opt, torch::Device device,
                 torch::ScalarType dtype) {
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  auto normal = [&](std::vector<int64_t> shape, double std) { return torch::randn(shape, gen, f32) * std; };
  auto norm = [&](std::vector<int64_t> shape) {
    auto t = torch::ones(shape, f32);
    return opt.norm_jitter > 0 ? t + normal(shape, opt.norm_jitter) : t;
  };
  int64_t V = c.vocab_size, C = c.hidden_size, L = c.num_layers, Q = c.q_dim(), KV = c.kv_dim(), F = c.intermediate_size;
  Model m;
  m.config = c;
  m.device = device;
  m.dtype = dtype;
  ModelWeights& w = m.w;
  // Draw order is part of the seed contract: changing it changes every zoo model.
  w.embed = normal({V, C}, opt.std);
  w.final_norm = norm({C});
  w.attn_norm = norm({L, C});
  w.mlp_norm = norm({L, C});
  w.qkv_w = normal({L, Q + 2 * KV, C}, opt.std);
  if (c.qkv_bias) w.qkv_b = normal({L, Q + 2 * KV}, opt.bias_std);
  if (c.qk_norm()) {
    w.q_norm = norm({L, Q});
    w.k_norm = norm({L, KV});
  }
  w.o_w = normal({L, C, Q}, opt.std);
  w.gate_up_w = normal({L, 2 * F, C}, opt.std);
  w.down_w = normal({L, C, F}, opt.std);
  w.lm_head = c.tie_word_embeddings ? w.embed : normal({V, C}, opt.std);
  auto to = [&](torch::Tensor& t) {
    if (t.defined()) t = t.to(device, dtype).contiguous();
  };
  for (auto* t : {&w.embed, &w.final_norm, &w.attn_norm, &w.mlp_norm, &w.qkv_w, &w.qkv_b, &w.q_norm, &w.k_norm, &w.o_w,
                  &w.gate_up_w, &w.down_w})
    to(*t);
  if (c.tie_word_embeddings) w.lm_head = w.embed;
  else to(w.lm_head);
  m.inv_freq = rope_inv_freq(c).to(device);
  return m;
}

}  // namespace rlvr
