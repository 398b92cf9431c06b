// tokenizer_impl.h: the loaded state of a Tokenizer (private to models/tokenizer_*.cpp).
#pragma once
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/tokenizer.h"
#include "models/utf8.h"

namespace rlvr {

// Heterogeneous lookup so cache/vocab probes take a string_view without allocating.
struct SvHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct SvEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
template <class V>
using SvMap = std::unordered_map<std::string, V, SvHash, SvEq>;

struct AddedToken {
  int32_t id;
  std::string content;
  bool lstrip, rstrip, single_word, normalized, special;
};

// A byte trie over added-token contents for leftmost-longest matching.
struct AddedTrie {
  struct Node {
    std::unordered_map<unsigned char, int32_t> next;
    int32_t token = -1;  // index into TokenizerImpl::added, -1 if no token ends here
  };
  std::vector<Node> nodes{1};
  bool first_byte[256] = {};
  void insert(std::string_view s, int32_t token_index);
  // Length of the longest token starting at text[pos] (0 if none); `token` receives its index.
  size_t match(std::string_view text, size_t pos, int32_t& token) const;
  bool empty() const { return nodes.size() == 1; }
};

// One compiled Split pre-tokenizer regex.
struct SplitRegex {
  pcre2_code* code = nullptr;
  bool removed = false;  // behavior "Removed": drop the matches, keep the gaps
  SplitRegex() = default;
  SplitRegex(const SplitRegex&) = delete;
  SplitRegex& operator=(const SplitRegex&) = delete;
  ~SplitRegex() { if (code) pcre2_code_free(code); }
};

struct TokenizerImpl {
  std::string source;  // file name for messages

  NormForm norm = NormForm::none;
  std::vector<std::unique_ptr<SplitRegex>> splits;  // applied in order (Sequence of Split)
  bool byte_level_add_prefix_space = false;

  // BPE model: ids are looked up by raw bytes (byte-level symbols decoded at load).
  SvMap<int32_t> vocab;                       // raw bytes -> id
  std::vector<std::string> id_bytes;          // id -> raw bytes (empty for added-only ids)
  std::vector<std::string> id_token;          // id -> token string as in tokenizer.json
  std::unordered_map<uint64_t, uint64_t> merges;  // (left<<32|right) -> (rank<<32|merged id)
  int32_t byte_id[256];                       // id of each single byte, -1 if absent
  int32_t byte_fallback_id[256];              // <0xNN> ids when byte_fallback, else -1
  int32_t unk_id = -1;
  bool ignore_merges = false;

  // Added tokens: non-normalized ones are split off the raw text, normalized ones after normalization.
  std::vector<AddedToken> added;
  AddedTrie trie_raw, trie_norm;
  SvMap<int32_t> added_by_content;
  std::vector<char> id_special;               // id -> 1 if a special added token

  // TemplateProcessing "single": ids before and after the sequence when add_special_tokens.
  std::vector<int32_t> prefix_ids, suffix_ids;

  int32_t vocab_size = 0;

  // Word cache: piece bytes -> ids. Guarded by a mutex so encode() is thread-safe.
  mutable std::mutex cache_mu;
  mutable SvMap<std::vector<int32_t>> cache;

  ~TokenizerImpl() = default;

  void bpe_word(std::string_view word, std::vector<int32_t>& out) const;
  void encode_piece(std::string_view piece, std::vector<int32_t>& out) const;
  void encode_segment(std::string_view text, std::vector<int32_t>& out) const;  // no added tokens inside
};

}  // namespace rlvr
