// tokenizer.h: HF tokenizer.json byte-level BPE (Qwen2/Qwen2.5/Qwen3, Llama-3.x, GPT-2 style).
//
// Gives ids identical to HF `tokenizers` (checked against the JS port in tests):
//   added/special tokens split first (lstrip/rstrip/single_word/normalized flags),
//   NFC normalizer, Split regex pre-tokenizer (PCRE2, Unicode properties), ByteLevel,
//   BPE with merge ranks (+ ignore_merges, byte fallback), TemplateProcessing post-processor.
// Invalid UTF-8 in the input: each maximal invalid subsequence becomes U+FFFD before anything else
// (what a lossy UTF-8 decode does; Python/JS strings cannot hold such bytes at all).
// No LibTorch here: this header is included by non-torch code.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr {

struct TokenizerImpl;

class Tokenizer {
 public:
  // `path` is a tokenizer.json or a folder holding one. InputError naming the file and field
  // on anything missing, malformed or unsupported (Unigram, WordPiece, unknown normalizer...).
  static Tokenizer load(const std::string& path);
  // `source` names the JSON in error messages.
  static Tokenizer from_json(std::string_view json, const std::string& source);

  std::vector<int32_t> encode(std::string_view text, bool add_special_tokens = false) const;
  std::vector<std::vector<int32_t>> encode_batch(std::span<const std::string> texts, bool add_special_tokens = false) const;
  // Ids -> text. Byte sequences that are not valid UTF-8 decode to U+FFFD (like HF's lossy decode).
  // Out-of-range ids throw InputError.
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens = false) const;

  // Largest id + 1 (base vocabulary and added tokens).
  int32_t vocab_size() const;
  std::optional<int32_t> token_to_id(std::string_view token) const;
  // The token's string as stored in tokenizer.json (byte-level symbols for BPE tokens).
  std::string id_to_token(int32_t id) const;
  bool is_special(int32_t id) const;
  const std::string& source() const;

 private:
  explicit Tokenizer(std::shared_ptr<const TokenizerImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const TokenizerImpl> impl_;
};

}  // namespace rlvr
