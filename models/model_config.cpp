#include "models/model_config.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& where, const std::string& field, const std::string& what) {
  throw_input(where, field + ": " + what);
}

std::string shown(const json& v) {
  std::string s = v.dump();
  return v.is_string() ? "'" + v.get<std::string>() + "'" : s;
}

std::optional<int64_t> opt_int(const json& j, const char* key, const std::string& where, const std::string& prefix = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) bad(where, prefix + key, "expected an integer, got " + shown(*it));
  return it->get<int64_t>();
}

int64_t req_pos_int(const json& j, const char* key, const std::string& where) {
  auto v = opt_int(j, key, where);
  if (!v) bad(where, key, "missing");
  if (*v <= 0) bad(where, key, "must be positive, got " + std::to_string(*v));
  return *v;
}

std::optional<double> opt_num(const json& j, const char* key, const std::string& where, const std::string& prefix = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) bad(where, prefix + key, "expected a number, got " + shown(*it));
  return it->get<double>();
}

std::optional<bool> opt_bool(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) bad(where, key, "expected true or false, got " + shown(*it));
  return it->get<bool>();
}

std::optional<std::string> opt_str(const json& j, const char* key, const std::string& where, const std::string& prefix = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad(where, prefix + key, "expected a string, got " + shown(*it));
  return it->get<std::string>();
}

// eos_token_id is an int or a list of ints in HF configs.
std::vector<int32_t> id_list(const json& j, const char* key, const std::string& where) {
  std::vector<int32_t> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  auto one = [&](const json& v) {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > INT32_MAX)
      bad(where, key, "expected a token id, got " + shown(v));
    out.push_back(static_cast<int32_t>(v.get<int64_t>()));
  };
  if (it->is_array()) {
    for (const auto& v : *it) one(v);
  } else {
    one(*it);
  }
  return out;
}

void parse_rope(const json& j, const std::string& where, ModelConfig& c) {
  // transformers >= 4.56/5 writes rope_parameters {rope_type, rope_theta, ...}; older configs
  // rope_theta at top level and rope_scaling {type|rope_type, ...} or null.
  const char* key = j.contains("rope_parameters") && !j["rope_parameters"].is_null() ? "rope_parameters" : "rope_scaling";
  if (auto t = opt_num(j, "rope_theta", where)) c.rope_theta = *t;
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) {
    const json& r = *it;
    std::string p = std::string(key) + ".";
    if (!r.is_object()) bad(where, key, "expected an object or null, got " + shown(r));
    if (auto t = opt_num(r, "rope_theta", where, p)) c.rope_theta = *t;
    auto type = opt_str(r, "rope_type", where, p);
    if (!type) type = opt_str(r, "type", where, p);
    std::string ty = type.value_or("default");
    if (ty == "llama3") {
      RopeScaling& s = c.rope_scaling;
      s.type = "llama3";
      auto need = [&](const char* f) {
        auto v = opt_num(r, f, where, p);
        if (!v) bad(where, p + f, "missing (required by rope_type 'llama3')");
        return *v;
      };
      s.factor = need("factor");
      s.low_freq_factor = need("low_freq_factor");
      s.high_freq_factor = need("high_freq_factor");
      auto orig = opt_int(r, "original_max_position_embeddings", where, p);
      if (!orig) bad(where, p + "original_max_position_embeddings", "missing (required by rope_type 'llama3')");
      s.original_max_position_embeddings = *orig;
      if (!(s.factor > 0)) bad(where, p + "factor", "must be positive");
      if (!(s.high_freq_factor > s.low_freq_factor) || !(s.low_freq_factor > 0))
        bad(where, p + "high_freq_factor", "must exceed low_freq_factor > 0");
      if (s.original_max_position_embeddings <= 0) bad(where, p + "original_max_position_embeddings", "must be positive");
    } else if (ty != "default") {
      bad(where, p + "rope_type", "unsupported '" + ty + "' (supported: default, llama3)");
    }
    // Fields that would change the math for the supported types but that we do not apply.
    for (const char* f : {"attention_factor", "mscale", "mscale_all_dim"})
      if (r.contains(f) && !r[f].is_null()) bad(where, p + f, "unsupported");
  }
  if (!(c.rope_theta > 0)) bad(where, "rope_theta", "must be positive");
  if (auto prf = opt_num(j, "partial_rotary_factor", where); prf && *prf != 1.0)
    bad(where, "partial_rotary_factor", "unsupported " + std::to_string(*prf) + " (only 1.0)");
}

}  // namespace

const char* family_model_type(Family f) {
  switch (f) {
    case Family::qwen2: return "qwen2";
    case Family::llama: return "llama";
    case Family::olmo2: return "olmo2";
  }
  return "?";
}

const char* family_architecture(Family f) {
  switch (f) {
    case Family::qwen2: return "Qwen2ForCausalLM";
    case Family::llama: return "LlamaForCausalLM";
    case Family::olmo2: return "Olmo2ForCausalLM";
  }
  return "?";
}

int64_t ModelConfig::num_params() const {
  int64_t C = hidden_size, per_layer = 0;
  per_layer += C * (q_dim() + 2 * kv_dim()) + q_dim() * C;  // q, k, v, o
  if (qkv_bias) per_layer += q_dim() + 2 * kv_dim();
  per_layer += 3 * C * intermediate_size;                    // gate, up, down
  per_layer += 2 * C;                                        // two norms
  if (qk_norm()) per_layer += q_dim() + kv_dim();
  int64_t n = num_layers * per_layer + vocab_size * C + C;
  if (!tie_word_embeddings) n += vocab_size * C;
  return n;
}

ModelConfig config_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw_input(where, "expected a JSON object");
  ModelConfig c;
  auto mt = opt_str(j, "model_type", where);
  if (!mt) bad(where, "model_type", "missing");
  if (*mt == "qwen2") c.family = Family::qwen2;
  else if (*mt == "llama") c.family = Family::llama;
  else if (*mt == "olmo2") c.family = Family::olmo2;
  else bad(where, "model_type", "unsupported '" + *mt + "' (supported: qwen2, llama, olmo2)");

  if (auto it = j.find("architectures"); it != j.end() && !it->is_null()) {
    if (!it->is_array() || it->size() != 1 || !(*it)[0].is_string())
      bad(where, "architectures", "expected one architecture name");
    std::string a = (*it)[0].get<std::string>();
    if (a != family_architecture(c.family))
      bad(where, "architectures", "unsupported '" + a + "' for model_type '" + *mt + "' (supported: " +
                                      family_architecture(c.family) + ")");
  }

  c.vocab_size = req_pos_int(j, "vocab_size", where);
  c.hidden_size = req_pos_int(j, "hidden_size", where);
  c.intermediate_size = req_pos_int(j, "intermediate_size", where);
  c.num_layers = req_pos_int(j, "num_hidden_layers", where);
  c.num_heads = req_pos_int(j, "num_attention_heads", where);
  c.num_kv_heads = opt_int(j, "num_key_value_heads", where).value_or(c.num_heads);
  if (c.num_kv_heads <= 0 || c.num_heads % c.num_kv_heads != 0)
    bad(where, "num_key_value_heads", "must divide num_attention_heads (" + std::to_string(c.num_heads) + "), got " +
                                          std::to_string(c.num_kv_heads));
  if (auto hd = opt_int(j, "head_dim", where)) {
    c.head_dim = *hd;
  } else {
    if (c.hidden_size % c.num_heads != 0) bad(where, "num_attention_heads", "must divide hidden_size");
    c.head_dim = c.hidden_size / c.num_heads;
  }
  if (c.head_dim <= 0 || c.head_dim % 2 != 0) bad(where, "head_dim", "must be positive and even");

  // HF defaults per family when the field is absent.
  c.rms_norm_eps = opt_num(j, "rms_norm_eps", where).value_or(c.family == Family::olmo2 ? 1e-5 : 1e-6);
  if (!(c.rms_norm_eps > 0)) bad(where, "rms_norm_eps", "must be positive");
  parse_rope(j, where, c);

  auto act = opt_str(j, "hidden_act", where).value_or("silu");
  if (act != "silu") bad(where, "hidden_act", "unsupported '" + act + "' (supported: silu)");
  if (opt_bool(j, "mlp_bias", where).value_or(false)) bad(where, "mlp_bias", "unsupported true");
  // Qwen2 hard-codes q/k/v biases; Llama/OLMo-2's attention_bias would also add an o_proj bias.
  c.qkv_bias = c.family == Family::qwen2;
  if (c.family != Family::qwen2 && opt_bool(j, "attention_bias", where).value_or(false))
    bad(where, "attention_bias", "unsupported true");
  if (opt_bool(j, "use_sliding_window", where).value_or(false)) bad(where, "use_sliding_window", "unsupported true");
  if (auto lt = j.find("layer_types"); lt != j.end() && lt->is_array())
    for (const auto& t : *lt)
      if (t != "full_attention") bad(where, "layer_types", "unsupported " + shown(t) + " (only full_attention)");
  if (j.contains("quantization_config")) bad(where, "quantization_config", "unsupported (quantized checkpoints)");
  if (auto qkv = opt_num(j, "clip_qkv", where)) bad(where, "clip_qkv", "unsupported");
  c.tie_word_embeddings = opt_bool(j, "tie_word_embeddings", where).value_or(false);
  c.max_position_embeddings = opt_int(j, "max_position_embeddings", where).value_or(32768);

  auto dt = opt_str(j, "torch_dtype", where);
  if (!dt) dt = opt_str(j, "dtype", where);
  c.torch_dtype = dt.value_or("float32");
  if (c.torch_dtype != "float32" && c.torch_dtype != "bfloat16" && c.torch_dtype != "float16")
    bad(where, "torch_dtype", "unsupported '" + c.torch_dtype + "' (supported: float32, bfloat16, float16)");

  if (auto b = opt_int(j, "bos_token_id", where)) c.bos_token_id = static_cast<int32_t>(*b);
  if (auto p = opt_int(j, "pad_token_id", where)) c.pad_token_id = static_cast<int32_t>(*p);
  c.eos_token_ids = id_list(j, "eos_token_id", where);
  for (int32_t e : c.eos_token_ids)
    if (e >= c.vocab_size) bad(where, "eos_token_id", std::to_string(e) + " is not below vocab_size");
  return c;
}

ModelConfig config_parse(const std::string& text, const std::string& where) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw_input(where, "not valid JSON");
  return config_from_json(j, where);
}

ModelConfig config_load(const std::string& dir) {
  std::string where = dir + "/config.json";
  ModelConfig c = config_parse(file_read(where), where);
  std::string gen = dir + "/generation_config.json";
  if (file_exists(gen)) {
    json g = json::parse(file_read(gen), nullptr, false);
    if (g.is_discarded() || !g.is_object()) throw_input(gen, "not a JSON object");
    auto eos = id_list(g, "eos_token_id", gen);
    for (int32_t e : eos)
      if (e >= c.vocab_size) bad(gen, "eos_token_id", std::to_string(e) + " is not below vocab_size");
    if (!eos.empty()) c.eos_token_ids = eos;
    if (auto b = opt_int(g, "bos_token_id", gen)) c.bos_token_id = static_cast<int32_t>(*b);
  }
  return c;
}

std::string config_to_json(const ModelConfig& c) {
  json j;
  j["architectures"] = {family_architecture(c.family)};
  j["model_type"] = family_model_type(c.family);
  j["vocab_size"] = c.vocab_size;
  j["hidden_size"] = c.hidden_size;
  j["intermediate_size"] = c.intermediate_size;
  j["num_hidden_layers"] = c.num_layers;
  j["num_attention_heads"] = c.num_heads;
  j["num_key_value_heads"] = c.num_kv_heads;
  j["head_dim"] = c.head_dim;
  j["hidden_act"] = "silu";
  j["rms_norm_eps"] = c.rms_norm_eps;
  j["rope_theta"] = c.rope_theta;
  if (c.rope_scaling.type == "llama3") {
    j["rope_scaling"] = {{"rope_type", "llama3"},
                         {"factor", c.rope_scaling.factor},
                         {"low_freq_factor", c.rope_scaling.low_freq_factor},
                         {"high_freq_factor", c.rope_scaling.high_freq_factor},
                         {"original_max_position_embeddings", c.rope_scaling.original_max_position_embeddings}};
  } else {
    j["rope_scaling"] = nullptr;
  }
  j["tie_word_embeddings"] = c.tie_word_embeddings;
  j["max_position_embeddings"] = c.max_position_embeddings;
  j["torch_dtype"] = c.torch_dtype;
  j["attention_dropout"] = 0.0;
  j["use_cache"] = true;
  if (c.family == Family::qwen2) j["use_sliding_window"] = false;
  if (c.family != Family::qwen2) j["attention_bias"] = false;
  if (c.family == Family::llama) j["mlp_bias"] = false;
  if (c.bos_token_id) j["bos_token_id"] = *c.bos_token_id;
  if (c.pad_token_id) j["pad_token_id"] = *c.pad_token_id;
  if (c.eos_token_ids.size() == 1) j["eos_token_id"] = c.eos_token_ids[0];
  else if (!c.eos_token_ids.empty()) j["eos_token_id"] = c.eos_token_ids;
  return j.dump(2) + "\n";
}

std::string generation_config_to_json(const ModelConfig& c) {
  json j = json::object();
  if (c.bos_token_id) j["bos_token_id"] = *c.bos_token_id;
  if (c.eos_token_ids.size() == 1) j["eos_token_id"] = c.eos_token_ids[0];
  else if (!c.eos_token_ids.empty()) j["eos_token_id"] = c.eos_token_ids;
  return j.dump(2) + "\n";
}

}  // namespace rlvr
