// bpe_json.cpp: BpeVocab -> tokenizer.json / tokenizer_config.json (declared in bpe_train.h).
#include <nlohmann/json.hpp>

#include "synth/bpe_train.h"

namespace rlvr::synth {

namespace {
nlohmann::ordered_json byte_level(bool with_regex) {
  return {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", with_regex}};
}
}  // namespace

std::string bpe_tokenizer_json(const BpeVocab& v) {
  using json = nlohmann::ordered_json;
  json j;
  j["version"] = "1.0";
  j["truncation"] = nullptr;
  j["padding"] = nullptr;
  json added = json::array();
  for (size_t i = 0; i < v.special_tokens.size(); ++i)
    added.push_back({{"id", v.tokens.size() + i}, {"content", v.special_tokens[i]}, {"single_word", false},
                     {"lstrip", false}, {"rstrip", false}, {"normalized", false}, {"special", true}});
  j["added_tokens"] = added;
  j["normalizer"] = {{"type", "NFC"}};
  j["pre_tokenizer"] = {{"type", "Sequence"},
                        {"pretokenizers",
                         {{{"type", "Split"},
                           {"pattern", {{"Regex", std::string(kQwen2SplitRegex)}}},
                           {"behavior", "Isolated"},
                           {"invert", false}},
                          byte_level(false)}}};
  j["post_processor"] = byte_level(false);
  j["decoder"] = byte_level(false);
  json model;
  model["type"] = "BPE";
  model["dropout"] = nullptr;
  model["unk_token"] = nullptr;
  model["continuing_subword_prefix"] = "";
  model["end_of_word_suffix"] = "";
  model["fuse_unk"] = false;
  model["byte_fallback"] = false;
  model["ignore_merges"] = false;
  json vocab = json::object();
  for (size_t i = 0; i < v.tokens.size(); ++i) vocab[v.tokens[i]] = i;
  model["vocab"] = vocab;
  json merges = json::array();
  for (const auto& [a, b] : v.merges) merges.push_back({a, b});
  model["merges"] = merges;
  j["model"] = model;
  return j.dump(1) + "\n";
}

std::string bpe_tokenizer_config_json(const BpeVocab& v, std::string_view eos, int model_max_length) {
  using json = nlohmann::ordered_json;
  json j;
  j["add_bos_token"] = false;
  j["add_prefix_space"] = false;
  json decoder = json::object();
  for (size_t i = 0; i < v.special_tokens.size(); ++i)
    decoder[std::to_string(v.tokens.size() + i)] = {{"content", v.special_tokens[i]}, {"lstrip", false},
                                                    {"normalized", false}, {"rstrip", false},
                                                    {"single_word", false}, {"special", true}};
  j["added_tokens_decoder"] = decoder;
  j["additional_special_tokens"] = v.special_tokens;
  j["bos_token"] = nullptr;
  j["clean_up_tokenization_spaces"] = false;
  j["eos_token"] = eos;
  j["errors"] = "replace";
  j["model_max_length"] = model_max_length;
  j["pad_token"] = v.special_tokens.empty() ? json(nullptr) : json(v.special_tokens.front());
  j["split_special_tokens"] = false;
  j["tokenizer_class"] = "Qwen2Tokenizer";
  j["unk_token"] = nullptr;
  return j.dump(1) + "\n";
}

}  // namespace rlvr::synth
