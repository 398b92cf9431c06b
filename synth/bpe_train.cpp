#include "synth/bpe_train.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace rlvr::synth {

namespace {

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return s;
}

// Splits text around the special tokens; specials themselves are dropped (they are added
// tokens, never merged).
std::vector<std::string_view> outside_specials(std::string_view text, const std::vector<std::string>& specials) {
  std::vector<std::string_view> out;
  size_t from = 0;
  for (;;) {
    size_t best = std::string_view::npos, len = 0;
    for (const std::string& s : specials) {
      const size_t at = text.find(s, from);
      if (at < best || (at == best && s.size() > len)) best = at, len = s.size();
    }
    if (best == std::string_view::npos) {
      if (from < text.size()) out.push_back(text.substr(from));
      return out;
    }
    if (best > from) out.push_back(text.substr(from, best - from));
    from = best + len;
  }
}

struct Pcre2Code {
  pcre2_code* code = nullptr;
  Pcre2Code() {
    int err = 0;
    PCRE2_SIZE off = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kQwen2SplitRegex.data()), kQwen2SplitRegex.size(),
                         PCRE2_UTF | PCRE2_UCP, &err, &off, nullptr);
    if (!code) throw std::logic_error("bpe: the Qwen2 split regex does not compile");
  }
  ~Pcre2Code() { pcre2_code_free(code); }
};

}  // namespace

std::string byte_level_symbol(uint8_t b) {
  // Printable Latin-1 bytes map to themselves; the others to 256, 257, ... in byte order.
  auto printable = [](int c) { return (c >= 33 && c <= 126) || (c >= 161 && c <= 172) || (c >= 174 && c <= 255); };
  if (printable(b)) return utf8(b);
  uint32_t n = 0;
  for (int c = 0; c < b; ++c) n += !printable(c);
  return utf8(256 + n);
}

std::vector<std::string> bpe_pre_tokenize(std::string_view text) {
  static const Pcre2Code re;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> md(
      pcre2_match_data_create_from_pattern(re.code, nullptr), &pcre2_match_data_free);
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    const int rc = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), at, 0, md.get(), nullptr);
    if (rc < 0) {
      out.emplace_back(text.substr(at));
      break;
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
    if (ov[0] > at) out.emplace_back(text.substr(at, ov[0] - at));  // a gap: kept as its own piece
    if (ov[1] == ov[0]) {  // the pattern cannot match empty, but never loop if it did
      at = ov[0] + 1;
      continue;
    }
    out.emplace_back(text.substr(ov[0], ov[1] - ov[0]));
    at = ov[1];
  }
  return out;
}

BpeVocab bpe_train(std::span<const std::string> texts, const BpeOptions& opt) {
  BpeVocab v;
  v.special_tokens = opt.special_tokens;
  std::unordered_map<std::string, int32_t> id_of;
  for (int b = 0; b < 256; ++b) {
    v.tokens.push_back(byte_level_symbol(static_cast<uint8_t>(b)));
    id_of.emplace(v.tokens.back(), b);
  }
  // Word (pre-token) counts, ordered so that training is deterministic.
  std::map<std::string, int64_t> counts;
  for (const std::string& t : texts)
    for (std::string_view part : outside_specials(t, opt.special_tokens))
      for (std::string& w : bpe_pre_tokenize(part)) ++counts[std::move(w)];
  struct Word {
    std::vector<int32_t> ids;
    int64_t count;
  };
  std::vector<Word> words;
  for (const auto& [w, c] : counts) {
    Word x{{}, c};
    for (unsigned char b : w) x.ids.push_back(b);
    words.push_back(std::move(x));
  }

  for (int m = 0; m < opt.merges; ++m) {
    std::map<std::pair<int32_t, int32_t>, int64_t> pairs;
    for (const Word& w : words)
      for (size_t i = 0; i + 1 < w.ids.size(); ++i) pairs[{w.ids[i], w.ids[i + 1]}] += w.count;
    // Most frequent pair; ties go to the smallest ids (std::map order), so the result is stable.
    std::pair<int32_t, int32_t> best{-1, -1};
    int64_t best_count = 0;
    for (const auto& [p, c] : pairs)
      if (c > best_count) best = p, best_count = c;
    // A pair seen once saves nothing on the corpus: stop rather than memorise it.
    constexpr int64_t kMinPairCount = 2;
    if (best_count < kMinPairCount) break;
    const std::string& left = v.tokens[static_cast<size_t>(best.first)];
    const std::string& right = v.tokens[static_cast<size_t>(best.second)];
    std::string joined = left + right;
    v.merges.emplace_back(left, right);
    // Two merge paths can spell the same string ("ab"+"c", "a"+"bc"): both map to one id, as in HF.
    auto [it, fresh] = id_of.emplace(joined, static_cast<int32_t>(v.tokens.size()));
    if (fresh) v.tokens.push_back(std::move(joined));
    const int32_t id = it->second;
    for (Word& w : words) {
      std::vector<int32_t> out;
      out.reserve(w.ids.size());
      for (size_t i = 0; i < w.ids.size(); ++i) {
        if (i + 1 < w.ids.size() && w.ids[i] == best.first && w.ids[i + 1] == best.second) {
          out.push_back(id);
          ++i;
        } else {
          out.push_back(w.ids[i]);
        }
      }
      w.ids = std::move(out);
    }
  }
  return v;
}

}  // namespace rlvr::synth
