// model_config.h: the decoder hyper-parameters read from a HF config.json (+ generation_config.json).
//
// Every field that changes the math is read; a value this code cannot honour is an InputError that
// names the field ("config.json: rope_scaling.rope_type: unsupported 'yarn'"), never silently ignored.
// No LibTorch here (the safetensors/config layer is usable from non-torch code and tests).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace rlvr {

enum class Family { qwen2, llama, olmo2 };

const char* family_model_type(Family f);    // "qwen2", "llama", "olmo2"
const char* family_architecture(Family f);  // "Qwen2ForCausalLM", ...

struct RopeScaling {
  // "default" (none) or "llama3" (Llama-3.1/3.2 frequency-dependent scaling).
  std::string type = "default";
  double factor = 1.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

struct ModelConfig {
  Family family = Family::qwen2;
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;        // C
  int64_t intermediate_size = 0;  // F (SwiGLU inner width)
  int64_t num_layers = 0;         // L
  int64_t num_heads = 0;          // H (query heads)
  int64_t num_kv_heads = 0;       // K (key/value heads; H % K == 0, GQA when K < H)
  int64_t head_dim = 0;           // D
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  RopeScaling rope_scaling;
  bool qkv_bias = false;          // Qwen2: q/k/v projections carry biases (o_proj does not)
  bool tie_word_embeddings = false;
  int64_t max_position_embeddings = 32768;
  std::string torch_dtype = "float32";  // what the checkpoint stores ("float32", "bfloat16", "float16")
  std::optional<int32_t> bos_token_id;
  std::vector<int32_t> eos_token_ids;   // config.json's, replaced by generation_config.json's when present
  std::optional<int32_t> pad_token_id;

  bool post_norm() const { return family == Family::olmo2; }
  bool qk_norm() const { return family == Family::olmo2; }
  int64_t q_dim() const { return num_heads * head_dim; }
  int64_t kv_dim() const { return num_kv_heads * head_dim; }
  // Parameters of the decoder (embedding counted once when tied).
  int64_t num_params() const;
};

// Parses a config.json document; `where` names the file in errors.
ModelConfig config_from_json(const nlohmann::json& j, const std::string& where);
ModelConfig config_parse(const std::string& text, const std::string& where);
// Reads DIR/config.json and, when present, DIR/generation_config.json (EOS ids).
ModelConfig config_load(const std::string& dir);

// The config.json HF transformers loads (architectures, model_type, torch_dtype, every field above).
std::string config_to_json(const ModelConfig& c);
std::string generation_config_to_json(const ModelConfig& c);

}  // namespace rlvr
