// model.h: the decoder (Qwen2/Qwen2.5, Llama-3.x, OLMo-2) as plain tensors, llm.c style.
//
// Shapes: V vocab, C hidden, L layers, H query heads, K key/value heads (GQA group G = H/K),
// D head dim, Q = H*D, KV = K*D, F intermediate, B batch, T new tokens, S key slots.
// Projections are fused and stacked over layers (one matmul for q|k|v, one for gate|up); the HF
// tensor names are split/joined only when loading and saving (model_io.cpp).
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/dtype.h"
#include "models/model_config.h"

namespace rlvr {

struct ModelWeights {
  torch::Tensor embed;       // (V, C)   model.embed_tokens.weight
  torch::Tensor lm_head;     // (V, C)   lm_head.weight; the very same tensor as embed when tied
  torch::Tensor final_norm;  // (C)      model.norm.weight
  // Norm of the attention sublayer: before it (input_layernorm, pre-norm families) or on its
  // output (OLMo-2's post_attention_layernorm).
  torch::Tensor attn_norm;   // (L, C)
  // Norm of the MLP sublayer: before it (post_attention_layernorm, pre-norm) or on its output
  // (OLMo-2's post_feedforward_layernorm).
  torch::Tensor mlp_norm;    // (L, C)
  torch::Tensor qkv_w;       // (L, Q+2KV, C) rows: q_proj | k_proj | v_proj
  torch::Tensor qkv_b;       // (L, Q+2KV)    Qwen2 only (undefined otherwise)
  torch::Tensor q_norm;      // (L, Q)        OLMo-2 only: RMSNorm over the whole q projection
  torch::Tensor k_norm;      // (L, KV)       OLMo-2 only
  torch::Tensor o_w;         // (L, C, Q)
  torch::Tensor gate_up_w;   // (L, 2F, C) rows: gate_proj | up_proj
  torch::Tensor down_w;      // (L, C, F)
};

// Copying a Model shares its tensors (like copying a torch::Tensor); clone the weights for a
// separate copy (e.g. a frozen reference policy).
struct Model {
  ModelConfig config;
  ModelWeights w;
  torch::Tensor inv_freq;  // (D/2) float32, RoPE frequencies after rope_scaling
  torch::Device device = torch::kCPU;
  torch::ScalarType dtype = torch::kFloat32;  // compute dtype of the weights

  // Every trainable tensor once (lm_head omitted when tied).
  std::vector<torch::Tensor> parameters() const;
  // HF name -> tensor (slices of the stacked weights, views, no copy) in HF's layout.
  std::vector<std::pair<std::string, torch::Tensor>> named_hf_tensors() const;
};

// "cpu" or "cuda"/"cuda:N"; InputError "--device: ..." when CUDA is not available in this build.
torch::Device parse_device(const std::string& s);
// "float32" / "bfloat16" / "float16" (InputError otherwise); "" -> float32 on CPU, bfloat16 on CUDA.
torch::ScalarType parse_dtype(const std::string& s, torch::Device device);  // --dtype text; "" = automatic
torch::ScalarType dtype_scalar_type(Dtype d, torch::Device device);

// RoPE inverse frequencies (D/2) for a config, rope_scaling applied (float32, as HF computes them).
torch::Tensor rope_inv_freq(const ModelConfig& c);

struct InitOptions {
  double std = 0.02;             // normal init of projections and embeddings
  double norm_jitter = 0.0;      // norm weights 1 + jitter * N(0,1) (tests: make norms matter)
  double bias_std = 0.02;        // Qwen2 q/k/v biases
};
// A random-weight model, deterministic in `seed` (drawn on CPU in fp32, then moved).
Model model_init(const ModelConfig& c, uint64_t seed, const InitOptions& opt = {}, torch::Device device = torch::kCPU,
                 torch::ScalarType dtype = torch::kFloat32);

// Loads DIR/config.json (+ generation_config.json) and the safetensors weights, converted to `dtype`
// on `device`. InputError naming the file and tensor on anything missing or mismatched.
Model model_load(const std::string& dir, torch::Device device = torch::kCPU, torch::ScalarType dtype = torch::kFloat32);
// Writes config.json, generation_config.json, model.safetensors (in the compute dtype) and copies
// the tokenizer files found in `tokenizer_dir` (if not empty). The folder loads in HF transformers.
void model_save(const Model& m, const std::string& dir, const std::string& tokenizer_dir = "");

// ---- forward ------------------------------------------------------------------------------

// Preallocated key/value slots, written in place as tokens arrive.
struct KVCache {
  torch::Tensor k;          // (L, B, K, S, D)
  torch::Tensor v;          // (L, B, K, S, D)
  torch::Tensor key_valid;  // (B, S) bool: slot holds a real token of that row (false: padding)
  int64_t len = 0;          // slots filled so far
  int64_t capacity() const { return k.defined() ? k.size(3) : 0; }
};
KVCache kv_cache_new(const Model& m, int64_t batch, int64_t capacity);

// A batch of token rows. Rows are left padded: row b's real tokens are the last ones, padding
// tokens have valid=false and never serve as keys; positions count real tokens only.
struct TokenBatch {
  torch::Tensor ids;    // (B, T) int64
  torch::Tensor pos;    // (B, T) int64 rotary positions
  torch::Tensor valid;  // (B, T) bool
};
TokenBatch batch_left_padded(const std::vector<std::vector<int32_t>>& rows, torch::Device device = torch::kCPU);

// Final hidden states (after model.norm), (B, T, C) in the compute dtype. With a cache, the T tokens
// are appended at slots [len, len+T) and attend to every valid earlier slot; without one, causal
// attention within the T tokens. Differentiable when the weights require grad (no cache).
torch::Tensor model_hidden(const Model& m, const TokenBatch& x, KVCache* cache = nullptr);
// (..., C) -> (..., V) float32 logits.
torch::Tensor model_logits(const Model& m, const torch::Tensor& hidden);
// Convenience: logits (B, T, V) float32.
torch::Tensor model_forward(const Model& m, const TokenBatch& x, KVCache* cache = nullptr);

// Components (exposed for the hand-computed checks in tests).
torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& w, double eps, bool weight_in_fp32);  // over last dim
torch::Tensor rope_apply(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);  // x (B,N,T,D), cos/sin (B,1,T,D)
// cos, sin (B, 1, T, D) for positions (B, T).
std::pair<torch::Tensor, torch::Tensor> rope_cos_sin(const torch::Tensor& inv_freq, const torch::Tensor& pos,
                                                     torch::ScalarType dtype);
// HF's repeat_kv: (B, K, S, D) -> (B, K*G, S, D), each kv head repeated G times consecutively.
torch::Tensor repeat_kv(const torch::Tensor& x, int64_t groups);

}  // namespace rlvr
