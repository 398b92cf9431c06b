// model_config_test.cpp: config.json parsing of the three families and its error messages.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/model_config.h"
#include "util/error.h"

namespace rlvr {
namespace {

using json = nlohmann::json;

// Trimmed from the real Qwen2.5-Math-7B, Llama-3.1-8B-Instruct and OLMo-2-1124-7B config.json files.
json qwen25_math_7b() {
  return json::parse(R"({"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
    "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 3584, "initializer_range": 0.02,
    "intermediate_size": 18944, "max_position_embeddings": 4096, "max_window_layers": 28, "model_type": "qwen2",
    "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4, "rms_norm_eps": 1e-06,
    "rope_theta": 10000, "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
    "use_cache": true, "use_sliding_window": false, "vocab_size": 152064})");
}
json llama31_8b() {
  return json::parse(R"({"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
    "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 14336,
    "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
    "num_hidden_layers": 32, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
    "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
      "original_max_position_embeddings": 8192, "rope_type": "llama3"},
    "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256})");
}
json olmo2_7b() {
  return json::parse(R"({"architectures": ["Olmo2ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
    "eos_token_id": 100257, "hidden_act": "silu", "hidden_size": 4096, "intermediate_size": 11008,
    "max_position_embeddings": 4096, "model_type": "olmo2", "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 32, "pad_token_id": 100277, "rms_norm_eps": 1e-06, "rope_scaling": null,
    "rope_theta": 500000, "tie_word_embeddings": false, "torch_dtype": "float32", "vocab_size": 100352})");
}

std::string err(const json& j) {
  try {
    config_from_json(j, "config.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ModelConfig, RealFamilies) {
  auto q = config_from_json(qwen25_math_7b(), "config.json");
  EXPECT_EQ(q.family, Family::qwen2);
  EXPECT_TRUE(q.qkv_bias);
  EXPECT_EQ(q.head_dim, 128);
  EXPECT_EQ(q.num_kv_heads, 4);
  EXPECT_EQ(q.eos_token_ids, std::vector<int32_t>{151643});
  EXPECT_NEAR(q.num_params() / 1e9, 7.6, 0.05);  // Qwen2.5-7B: 7.61B
  auto l = config_from_json(llama31_8b(), "config.json");
  EXPECT_EQ(l.rope_scaling.type, "llama3");
  EXPECT_EQ(l.rope_scaling.original_max_position_embeddings, 8192);
  EXPECT_EQ(l.rope_theta, 500000.0);
  EXPECT_FALSE(l.qkv_bias);
  EXPECT_EQ(l.eos_token_ids, (std::vector<int32_t>{128001, 128008, 128009}));
  EXPECT_NEAR(l.num_params() / 1e9, 8.03, 0.01);  // Llama-3.1-8B: 8.03B
  auto o = config_from_json(olmo2_7b(), "config.json");
  EXPECT_TRUE(o.post_norm());
  EXPECT_TRUE(o.qk_norm());
  EXPECT_EQ(o.torch_dtype, "float32");
  EXPECT_NEAR(o.num_params() / 1e9, 7.3, 0.05);  // OLMo-2-7B: 7.30B
}

TEST(ModelConfig, WriteThenParseKeepsEveryField) {
  for (const auto& j : {qwen25_math_7b(), llama31_8b(), olmo2_7b()}) {
    auto c = config_from_json(j, "config.json");
    auto r = config_parse(config_to_json(c), "config.json");
    EXPECT_EQ(r.family, c.family);
    EXPECT_EQ(r.hidden_size, c.hidden_size);
    EXPECT_EQ(r.num_kv_heads, c.num_kv_heads);
    EXPECT_EQ(r.head_dim, c.head_dim);
    EXPECT_EQ(r.rms_norm_eps, c.rms_norm_eps);
    EXPECT_EQ(r.rope_theta, c.rope_theta);
    EXPECT_EQ(r.rope_scaling.type, c.rope_scaling.type);
    EXPECT_EQ(r.rope_scaling.factor, c.rope_scaling.factor);
    EXPECT_EQ(r.tie_word_embeddings, c.tie_word_embeddings);
    EXPECT_EQ(r.eos_token_ids, c.eos_token_ids);
    EXPECT_EQ(r.torch_dtype, c.torch_dtype);
  }
}

TEST(ModelConfig, NewerRopeParametersForm) {
  auto j = llama31_8b();
  j["rope_parameters"] = j["rope_scaling"];
  j["rope_parameters"]["rope_theta"] = 1234.0;
  j.erase("rope_scaling");
  j.erase("rope_theta");
  auto c = config_from_json(j, "config.json");
  EXPECT_EQ(c.rope_theta, 1234.0);
  EXPECT_EQ(c.rope_scaling.type, "llama3");
}

TEST(ModelConfig, UnsupportedFieldsAreNamed) {
  auto j = llama31_8b();
  j["rope_scaling"]["rope_type"] = "yarn";
  EXPECT_EQ(err(j), "config.json: rope_scaling.rope_type: unsupported 'yarn' (supported: default, llama3)");
  j = llama31_8b();
  j["rope_scaling"].erase("low_freq_factor");
  EXPECT_EQ(err(j), "config.json: rope_scaling.low_freq_factor: missing (required by rope_type 'llama3')");
  j = qwen25_math_7b();
  j["use_sliding_window"] = true;
  EXPECT_EQ(err(j), "config.json: use_sliding_window: unsupported true");
  j = qwen25_math_7b();
  j["model_type"] = "mistral";
  EXPECT_EQ(err(j), "config.json: model_type: unsupported 'mistral' (supported: qwen2, llama, olmo2)");
  j = llama31_8b();
  j["hidden_act"] = "gelu";
  EXPECT_EQ(err(j), "config.json: hidden_act: unsupported 'gelu' (supported: silu)");
  j = llama31_8b();
  j["attention_bias"] = true;
  EXPECT_EQ(err(j), "config.json: attention_bias: unsupported true");
  j = llama31_8b();
  j["num_key_value_heads"] = 5;
  EXPECT_NE(err(j).find("config.json: num_key_value_heads: must divide"), std::string::npos);
  j = olmo2_7b();
  j.erase("hidden_size");
  EXPECT_EQ(err(j), "config.json: hidden_size: missing");
  j = olmo2_7b();
  j["vocab_size"] = "many";
  EXPECT_EQ(err(j), "config.json: vocab_size: expected an integer, got 'many'");
  j = qwen25_math_7b();
  j["architectures"] = {"LlamaForCausalLM"};
  EXPECT_NE(err(j).find("config.json: architectures: unsupported 'LlamaForCausalLM'"), std::string::npos);
  j = qwen25_math_7b();
  j["torch_dtype"] = "int8";
  EXPECT_NE(err(j).find("config.json: torch_dtype: unsupported 'int8'"), std::string::npos);
  j = qwen25_math_7b();
  j["partial_rotary_factor"] = 0.5;
  EXPECT_NE(err(j).find("config.json: partial_rotary_factor: unsupported"), std::string::npos);
  EXPECT_THROW(config_parse("{not json", "config.json"), InputError);
}

}  // namespace
}  // namespace rlvr
