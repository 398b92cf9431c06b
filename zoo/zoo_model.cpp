#include "zoo/zoo_model.h"

#include "synth/corpus_sample.h"
#include "util/error.h"

namespace rlvr::zoo {

namespace {
int32_t special_id(const Tokenizer& tok, std::string_view s) {
  auto id = tok.token_to_id(s);
  if (!id) throw std::runtime_error("zoo tokenizer lacks the special token " + std::string(s));
  return *id;
}
}  // namespace

ModelConfig zoo_model_config(const synth::ZooSpec& s, const std::string& family, const Tokenizer& tok) {
  ModelConfig c;
  c.family = family == "qwen2" ? Family::qwen2 : family == "llama" ? Family::llama : Family::olmo2;
  c.vocab_size = tok.vocab_size();
  c.hidden_size = s.size.d_model;
  c.intermediate_size = s.size.ffn;
  c.num_layers = s.size.layers;
  c.num_heads = s.size.heads;
  c.num_kv_heads = s.size.kv_heads;
  c.head_dim = s.size.d_model / s.size.heads;
  c.rms_norm_eps = 1e-6;
  c.rope_theta = 10000.0;
  c.qkv_bias = c.family == Family::qwen2;
  c.tie_word_embeddings = false;
  c.max_position_embeddings = s.size.max_seq;
  c.torch_dtype = "float32";
  const int32_t eot = special_id(tok, synth::kEndOfText);
  c.eos_token_ids = s.chat_template == synth::ChatTemplate::chatml
                        ? std::vector<int32_t>{special_id(tok, synth::kImEnd), eot}
                        : std::vector<int32_t>{eot};
  c.pad_token_id = eot;
  return c;
}

Model zoo_model_from_base(const Model& base, const ModelConfig& member) {
  torch::NoGradGuard no_grad;
  Model m = model_init(member, /*seed=*/0);
  const auto& b = base.w;
  auto& w = m.w;
  auto copy = [](torch::Tensor& dst, const torch::Tensor& src, const char* name) {
    if (!dst.defined() || !src.defined() || !dst.sizes().equals(src.sizes()))
      throw std::runtime_error(std::string("zoo_model_from_base: base and member differ in ") + name);
    dst.copy_(src);
  };
  copy(w.embed, b.embed, "embed");
  if (!member.tie_word_embeddings) copy(w.lm_head, b.lm_head, "lm_head");
  copy(w.final_norm, b.final_norm, "final_norm");
  copy(w.attn_norm, b.attn_norm, "attn_norm");
  copy(w.mlp_norm, b.mlp_norm, "mlp_norm");
  copy(w.qkv_w, b.qkv_w, "qkv_w");
  copy(w.o_w, b.o_w, "o_w");
  copy(w.gate_up_w, b.gate_up_w, "gate_up_w");
  copy(w.down_w, b.down_w, "down_w");
  if (member.qk_norm()) {
    copy(w.q_norm, b.q_norm, "q_norm");
    copy(w.k_norm, b.k_norm, "k_norm");
  }
  if (member.qkv_bias) {
    if (b.qkv_b.defined()) copy(w.qkv_b, b.qkv_b, "qkv_b");
    else w.qkv_b.zero_();
  }
  return m;
}

}  // namespace rlvr::zoo
