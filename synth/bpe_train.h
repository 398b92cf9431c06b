// bpe_train.h: trains a small byte-level BPE vocabulary on a corpus sample and writes it as an
// HF tokenizer.json that rlvr::Tokenizer (models/tokenizer.h) and HF `tokenizers` load.
//
//   BpeVocab v = bpe_train(texts, {.merges = 768});
//   file_write_atomic(dir + "/tokenizer.json", bpe_tokenizer_json(v));
//
// Same pipeline as Qwen2's tokenizer: NFC, the Qwen2 Split regex (digits one \p{N} at a time, so
// numbers are always spelled digit by digit), GPT-2's byte-to-unicode ByteLevel mapping, BPE with
// merge ranks, ByteLevel decoder; special tokens are added tokens after the learned vocabulary.
// Deterministic: word counts live in ordered maps and ties between pairs break by token ids.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rlvr::synth {

// Qwen2's pre-tokenizer pattern (tokenizer.json of Qwen2/2.5/3).
inline constexpr std::string_view kQwen2SplitRegex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

struct BpeOptions {
  int merges = 512;  // upper bound: training stops early when no pair occurs twice
  std::vector<std::string> special_tokens = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
};

struct BpeVocab {
  std::vector<std::string> tokens;                           // id -> byte-level token string
  std::vector<std::pair<std::string, std::string>> merges;  // in rank order
  std::vector<std::string> special_tokens;                  // ids tokens.size(), tokens.size() + 1, ...
};

// GPT-2's reversible byte -> printable code point mapping, as UTF-8 ("Ġ" for ' ', "Ċ" for '\n').
std::string byte_level_symbol(uint8_t b);
// The Split pre-tokenizer on text without special tokens (Isolated: matches and gaps in order).
std::vector<std::string> bpe_pre_tokenize(std::string_view text);

BpeVocab bpe_train(std::span<const std::string> texts, const BpeOptions& opt);

// tokenizer.json (HF format, merges as [left, right] pairs like Qwen3's file).
std::string bpe_tokenizer_json(const BpeVocab& v);
// tokenizer_config.json for the same folder: special tokens, `eos` as the end-of-sequence token.
std::string bpe_tokenizer_config_json(const BpeVocab& v, std::string_view eos, int model_max_length);

}  // namespace rlvr::synth
