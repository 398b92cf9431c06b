// tokenizer_encode.cpp: text -> ids (added tokens, normalization, pre-tokenization, BPE) and ids -> text.
#include <algorithm>
#include <cctype>
#include <limits>
#include <queue>

#include "models/tokenizer_impl.h"
#include "util/error.h"

namespace rlvr {

namespace {

// Pieces longer than this skip the word cache (long whitespace runs, base64 blobs): they are rare
// and would evict the short words that make up almost all text.
constexpr size_t kCacheMaxPieceBytes = 64;
// The cache is cleared when it holds this many words (bounds memory on adversarial input).
constexpr size_t kCacheMaxEntries = 1 << 18;
// Words up to this many symbols use the quadratic scan (cache-friendly, no heap); longer ones a heap.
constexpr size_t kSmallWordSymbols = 48;

struct MatchData {
  pcre2_match_data* md = pcre2_match_data_create(4, nullptr);
  ~MatchData() { pcre2_match_data_free(md); }
};

// Per-thread match block: PCRE2 match data is not thread-safe and costs an allocation to create.
pcre2_match_data* thread_match_data() {
  thread_local MatchData m;
  return m.md;
}

bool is_ascii_word_char(unsigned char c) { return std::isalnum(c) || c == '_'; }

constexpr uint32_t kNoRank = std::numeric_limits<uint32_t>::max();

}  // namespace

void TokenizerImpl::bpe_word(std::string_view word, std::vector<int32_t>& out) const {
  if (ignore_merges) {
    if (auto it = vocab.find(word); it != vocab.end()) {
      out.push_back(it->second);
      return;
    }
  }
  std::vector<int32_t> sym;
  sym.reserve(word.size());
  for (unsigned char b : word) {
    if (byte_id[b] >= 0) sym.push_back(byte_id[b]);
    else if (byte_fallback_id[b] >= 0) sym.push_back(byte_fallback_id[b]);
    else if (unk_id >= 0) sym.push_back(unk_id);
    // else: HF drops bytes that have no token and no fallback; so do we.
  }
  auto lookup = [&](int32_t a, int32_t b) -> uint64_t {
    auto it = merges.find((static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b));
    return it == merges.end() ? ~0ull : it->second;
  };
  if (sym.size() <= kSmallWordSymbols) {
    // Repeatedly merge the adjacent pair of lowest rank (leftmost on ties), as HF's BPE does.
    while (sym.size() > 1) {
      uint64_t best = ~0ull;
      size_t at = 0;
      for (size_t i = 0; i + 1 < sym.size(); ++i) {
        uint64_t v = lookup(sym[i], sym[i + 1]);
        if ((v >> 32) < (best >> 32)) { best = v; at = i; }
      }
      if ((best >> 32) == kNoRank) break;
      sym[at] = static_cast<int32_t>(best & 0xFFFFFFFFu);
      sym.erase(sym.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    }
    out.insert(out.end(), sym.begin(), sym.end());
    return;
  }
  // Long words: doubly linked symbols + a min-heap of candidate merges keyed by (rank, position).
  size_t n = sym.size();
  std::vector<int32_t> prev(n), next(n);
  std::vector<char> alive(n, 1);
  for (size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<int32_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<int32_t>(i + 1) : -1;
  }
  struct Cand {
    uint32_t rank;
    int32_t pos, left, right;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
  auto push = [&](int32_t i) {
    if (i < 0 || next[static_cast<size_t>(i)] < 0) return;
    int32_t j = next[static_cast<size_t>(i)];
    uint64_t v = lookup(sym[static_cast<size_t>(i)], sym[static_cast<size_t>(j)]);
    if ((v >> 32) != kNoRank) heap.push({static_cast<uint32_t>(v >> 32), i, sym[static_cast<size_t>(i)], sym[static_cast<size_t>(j)]});
  };
  for (size_t i = 0; i + 1 < n; ++i) push(static_cast<int32_t>(i));
  while (!heap.empty()) {
    Cand c = heap.top();
    heap.pop();
    auto i = static_cast<size_t>(c.pos);
    if (!alive[i] || sym[i] != c.left || next[i] < 0) continue;
    auto j = static_cast<size_t>(next[i]);
    if (sym[j] != c.right) continue;  // stale entry
    sym[i] = static_cast<int32_t>(lookup(c.left, c.right) & 0xFFFFFFFFu);
    alive[j] = 0;
    next[i] = next[j];
    if (next[j] >= 0) prev[static_cast<size_t>(next[j])] = static_cast<int32_t>(i);
    push(prev[i]);
    push(static_cast<int32_t>(i));
  }
  for (int32_t i = 0; i >= 0; i = next[static_cast<size_t>(i)]) out.push_back(sym[static_cast<size_t>(i)]);
}

void TokenizerImpl::encode_piece(std::string_view piece, std::vector<int32_t>& out) const {
  if (piece.empty()) return;
  if (piece.size() > kCacheMaxPieceBytes) {
    bpe_word(piece, out);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(cache_mu);
    if (auto it = cache.find(piece); it != cache.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  size_t start = out.size();
  bpe_word(piece, out);
  std::lock_guard<std::mutex> lock(cache_mu);
  if (cache.size() >= kCacheMaxEntries) cache.clear();
  cache.emplace(std::string(piece), std::vector<int32_t>(out.begin() + static_cast<std::ptrdiff_t>(start), out.end()));
}

void TokenizerImpl::encode_segment(std::string_view text, std::vector<int32_t>& out) const {
  // Apply the Split regexes in order; each level splits the pieces of the previous one.
  auto split = [&](auto& self, std::string_view s, size_t level) -> void {
    if (s.empty()) return;
    if (level == splits.size()) {
      encode_piece(s, out);
      return;
    }
    const SplitRegex& re = *splits[level];
    pcre2_match_data* md = thread_match_data();
    size_t pos = 0;
    while (pos < s.size()) {
      int rc = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos, PCRE2_NO_UTF_CHECK, md, nullptr);
      if (rc == PCRE2_ERROR_NOMATCH) break;
      if (rc < 0) throw_input(source, "pre_tokenizer: regex match failed (PCRE2 error " + std::to_string(rc) + ")");
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
      size_t b = ov[0], e = ov[1];
      if (b > pos) self(self, s.substr(pos, b - pos), level + 1);  // the gap is a piece of its own
      if (e == b) {  // empty match: step one code point so the loop always advances
        size_t k = e;
        if (k < s.size()) utf8_next(s, k);
        if (!re.removed) self(self, s.substr(b, k - b), level + 1);
        pos = k;
        continue;
      }
      if (!re.removed) self(self, s.substr(b, e - b), level + 1);
      pos = e;
    }
    if (pos < s.size()) self(self, s.substr(pos), level + 1);
  };
  if (byte_level_add_prefix_space && !text.empty() && text[0] != ' ') {
    std::string with_space = " " + std::string(text);
    split(split, with_space, 0);
  } else {
    split(split, text, 0);
  }
}

namespace {

// Finds the next added token in text[from, end) (leftmost, then longest), applying single_word,
// lstrip and rstrip. Returns false when there is none. [tb, te) is the span the token consumes.
bool next_added(const TokenizerImpl& t, const AddedTrie& trie, std::string_view text, size_t from,
                size_t& tb, size_t& te, int32_t& id) {
  for (size_t pos = from; pos < text.size(); ++pos) {
    if (!trie.first_byte[static_cast<unsigned char>(text[pos])]) continue;
    int32_t idx = -1;
    size_t len = trie.match(text, pos, idx);
    if (!len) continue;
    const AddedToken& a = t.added[static_cast<size_t>(idx)];
    if (a.single_word) {
      bool before = pos > 0 && is_ascii_word_char(static_cast<unsigned char>(text[pos - 1]));
      bool after = pos + len < text.size() && is_ascii_word_char(static_cast<unsigned char>(text[pos + len]));
      if (before || after) continue;
    }
    tb = pos;
    te = pos + len;
    if (a.lstrip) {  // swallow whitespace on the left, back to the previous match
      while (tb > from) {
        size_t k = tb - 1;
        while (k > from && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
        size_t kk = k;
        if (!unicode_is_whitespace(utf8_next(text, kk))) break;
        tb = k;
      }
    }
    if (a.rstrip) {
      while (te < text.size()) {
        size_t k = te;
        if (!unicode_is_whitespace(utf8_next(text, k))) break;
        te = k;
      }
    }
    id = a.id;
    return true;
  }
  return false;
}

}  // namespace

std::vector<int32_t> Tokenizer::encode(std::string_view input, bool add_special_tokens) const {
  const TokenizerImpl& t = *impl_;
  std::string repaired;
  std::string_view text = input;
  if (!utf8_valid(input)) {
    repaired = utf8_repair(input);
    text = repaired;
  }
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 4);
  if (add_special_tokens) out.insert(out.end(), t.prefix_ids.begin(), t.prefix_ids.end());

  // Normalized segment: split off normalized added tokens, then pre-tokenize + BPE the rest.
  auto normalized_segment = [&](std::string_view seg) {
    if (seg.empty()) return;
    std::string norm;
    std::string_view s = seg;
    if (t.norm != NormForm::none) {
      norm = utf8_normalize(seg, t.norm);
      s = norm;
    }
    size_t pos = 0, tb, te;
    int32_t id;
    while (!t.trie_norm.empty() && next_added(t, t.trie_norm, s, pos, tb, te, id)) {
      t.encode_segment(s.substr(pos, tb - pos), out);
      out.push_back(id);
      pos = te;
    }
    t.encode_segment(s.substr(pos), out);
  };

  size_t pos = 0, tb, te;
  int32_t id;
  while (!t.trie_raw.empty() && next_added(t, t.trie_raw, text, pos, tb, te, id)) {
    normalized_segment(text.substr(pos, tb - pos));
    out.push_back(id);
    pos = te;
  }
  normalized_segment(text.substr(pos));
  if (add_special_tokens) out.insert(out.end(), t.suffix_ids.begin(), t.suffix_ids.end());
  return out;
}

std::vector<std::vector<int32_t>> Tokenizer::encode_batch(std::span<const std::string> texts, bool add_special_tokens) const {
  std::vector<std::vector<int32_t>> out;
  out.reserve(texts.size());
  for (const auto& s : texts) out.push_back(encode(s, add_special_tokens));
  return out;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  const TokenizerImpl& t = *impl_;
  std::string bytes;
  for (int32_t id : ids) {
    if (id < 0 || id >= t.vocab_size)
      throw_input(t.source, "decode: id " + std::to_string(id) + " out of range [0, " + std::to_string(t.vocab_size) + ")");
    auto i = static_cast<size_t>(id);
    if (t.id_special[i] && skip_special_tokens) continue;
    if (!t.id_bytes[i].empty()) bytes += t.id_bytes[i];
    else bytes += t.id_token[i];  // added tokens are stored as plain text
  }
  return utf8_repair(bytes);
}

int32_t Tokenizer::vocab_size() const { return impl_->vocab_size; }

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (auto it = impl_->added_by_content.find(token); it != impl_->added_by_content.end()) return it->second;
  for (size_t i = 0; i < impl_->id_token.size(); ++i)
    if (impl_->id_token[i] == token) return static_cast<int32_t>(i);
  return std::nullopt;
}

std::string Tokenizer::id_to_token(int32_t id) const {
  if (id < 0 || id >= impl_->vocab_size) throw_input(impl_->source, "id " + std::to_string(id) + " out of range");
  return impl_->id_token[static_cast<size_t>(id)];
}

bool Tokenizer::is_special(int32_t id) const {
  return id >= 0 && id < impl_->vocab_size && impl_->id_special[static_cast<size_t>(id)];
}

const std::string& Tokenizer::source() const { return impl_->source; }

}  // namespace rlvr
