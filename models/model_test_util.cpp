#include "models/model_test_util.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

namespace rlvr::test {

ModelConfig tiny_config(Family f) {
  ModelConfig c;
  c.family = f;
  c.vocab_size = 61;
  c.hidden_size = 32;
  c.intermediate_size = 40;
  c.num_layers = 2;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = 8;
  c.rms_norm_eps = f == Family::olmo2 ? 1e-5 : 1e-6;
  c.rope_theta = 10000.0;
  c.qkv_bias = f == Family::qwen2;
  c.eos_token_ids = {60};
  c.bos_token_id = 59;
  if (f == Family::llama) {
    c.rope_scaling.type = "llama3";
    c.rope_scaling.factor = 8.0;
    c.rope_scaling.low_freq_factor = 1.0;
    c.rope_scaling.high_freq_factor = 4.0;
    c.rope_scaling.original_max_position_embeddings = 64;
  }
  return c;
}

Model tiny_model(Family f, uint64_t seed) {
  InitOptions opt;
  opt.std = 0.3;  // large enough that attention patterns and logits are far from uniform
  opt.norm_jitter = 0.2;
  opt.bias_std = 0.3;
  return model_init(tiny_config(f), seed, opt);
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  auto base = std::filesystem::temp_directory_path() /
              ("rlvr_model_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  path = base.string();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace rlvr::test
