// tokenizer_load.cpp: parse HF tokenizer.json into a TokenizerImpl, validating every field we use.
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "models/byte_level.h"
#include "models/tokenizer_impl.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {

using json = nlohmann::json;

namespace {

// GPT-2's pre-tokenizer regex, used by a ByteLevel pre-tokenizer with use_regex = true.
constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Unicode White_Space, as HF's Oniguruma regex reads \s (PCRE2's \s with UCP differs on U+0085).
constexpr const char* kWhiteSpaceClass = R"(\t\n\x{0B}\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";

struct Loader {
  const std::string& src;

  [[noreturn]] void fail(const std::string& field, const std::string& what) const { throw_input(src, field + ": " + what); }

  const json& need(const json& obj, const char* key, const std::string& field) const {
    if (!obj.is_object() || !obj.contains(key)) fail(field, "missing");
    return obj.at(key);
  }
  std::string need_string(const json& obj, const char* key, const std::string& field) const {
    const json& v = need(obj, key, field);
    if (!v.is_string()) fail(field, "expected a string");
    return v.get<std::string>();
  }
  bool opt_bool(const json& obj, const char* key, bool dflt, const std::string& field) const {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return dflt;
    if (!obj.at(key).is_boolean()) fail(field, "expected true or false");
    return obj.at(key).get<bool>();
  }

  // Rewrites \s and \S to explicit Unicode White_Space classes (see kWhiteSpaceClass).
  std::string rewrite_whitespace(const std::string& p) const {
    std::string out;
    bool in_class = false;
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == '\\' && i + 1 < p.size()) {
        char n = p[i + 1];
        if (n == 's') out += in_class ? std::string(kWhiteSpaceClass) : "[" + std::string(kWhiteSpaceClass) + "]";
        else if (n == 'S' && !in_class) out += "[^" + std::string(kWhiteSpaceClass) + "]";
        else { out += c; out += n; }
        ++i;
        continue;
      }
      if (c == '[' && !in_class) in_class = true;
      else if (c == ']' && in_class) in_class = false;
      out += c;
    }
    return out;
  }

  std::unique_ptr<SplitRegex> compile(const std::string& pattern, const std::string& field) const {
    std::string p = rewrite_whitespace(pattern);
    int err = 0;
    PCRE2_SIZE off = 0;
    auto r = std::make_unique<SplitRegex>();
    r->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.c_str()), p.size(), PCRE2_UTF | PCRE2_UCP, &err, &off, nullptr);
    if (!r->code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      fail(field, "regex does not compile at offset " + std::to_string(off) + ": " + reinterpret_cast<char*>(msg));
    }
    pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
    return r;
  }

  void normalizer(TokenizerImpl& t, const json& n, const std::string& field) const {
    if (n.is_null()) return;
    std::string type = need_string(n, "type", field + ".type");
    if (type == "Sequence") {
      const json& list = need(n, "normalizers", field + ".normalizers");
      if (!list.is_array()) fail(field + ".normalizers", "expected an array");
      for (size_t i = 0; i < list.size(); ++i) normalizer(t, list[i], field + ".normalizers[" + std::to_string(i) + "]");
      return;
    }
    NormForm f = type == "NFC" ? NormForm::nfc : type == "NFD" ? NormForm::nfd : type == "NFKC" ? NormForm::nfkc
               : type == "NFKD" ? NormForm::nfkd : NormForm::none;
    if (f == NormForm::none) fail(field + ".type", "unsupported normalizer '" + type + "' (supported: NFC, NFD, NFKC, NFKD, Sequence)");
    if (t.norm != NormForm::none && t.norm != f) fail(field, "more than one normalization form");
    t.norm = f;
  }

  void pre_tokenizer(TokenizerImpl& t, const json& p, const std::string& field, bool& saw_byte_level) const {
    if (p.is_null()) return;
    std::string type = need_string(p, "type", field + ".type");
    if (type == "Sequence") {
      const json& list = need(p, "pretokenizers", field + ".pretokenizers");
      if (!list.is_array()) fail(field + ".pretokenizers", "expected an array");
      for (size_t i = 0; i < list.size(); ++i)
        pre_tokenizer(t, list[i], field + ".pretokenizers[" + std::to_string(i) + "]", saw_byte_level);
    } else if (type == "Split") {
      if (saw_byte_level) fail(field, "a Split after ByteLevel is not supported");
      const json& pat = need(p, "pattern", field + ".pattern");
      std::string regex;
      if (pat.contains("Regex") && pat["Regex"].is_string()) {
        regex = pat["Regex"].get<std::string>();
      } else if (pat.contains("String") && pat["String"].is_string()) {
        regex = "\\Q" + pat["String"].get<std::string>() + "\\E";
      } else {
        fail(field + ".pattern", "expected {\"Regex\": str} or {\"String\": str}");
      }
      std::string behavior = need_string(p, "behavior", field + ".behavior");
      if (behavior != "Isolated" && behavior != "Removed")
        fail(field + ".behavior", "unsupported '" + behavior + "' (supported: Isolated, Removed)");
      if (opt_bool(p, "invert", false, field + ".invert")) fail(field + ".invert", "invert: true is not supported");
      auto r = compile(regex, field + ".pattern.Regex");
      r->removed = behavior == "Removed";
      t.splits.push_back(std::move(r));
    } else if (type == "ByteLevel") {
      saw_byte_level = true;
      t.byte_level_add_prefix_space = opt_bool(p, "add_prefix_space", false, field + ".add_prefix_space");
      if (opt_bool(p, "use_regex", true, field + ".use_regex")) t.splits.push_back(compile(kGpt2Pattern, field + ".use_regex"));
    } else {
      fail(field + ".type", "unsupported pre-tokenizer '" + type + "' (supported: Sequence, Split, ByteLevel)");
    }
  }

  void post_processor(TokenizerImpl& t, const json& p, const std::string& field) const {
    if (p.is_null()) return;
    std::string type = need_string(p, "type", field + ".type");
    if (type == "ByteLevel") return;  // only adjusts offsets, never ids
    if (type == "Sequence") {
      const json& list = need(p, "processors", field + ".processors");
      if (!list.is_array()) fail(field + ".processors", "expected an array");
      for (size_t i = 0; i < list.size(); ++i) post_processor(t, list[i], field + ".processors[" + std::to_string(i) + "]");
      return;
    }
    if (type != "TemplateProcessing")
      fail(field + ".type", "unsupported post-processor '" + type + "' (supported: ByteLevel, TemplateProcessing, Sequence)");
    const json& single = need(p, "single", field + ".single");
    const json& specials = need(p, "special_tokens", field + ".special_tokens");
    if (!single.is_array()) fail(field + ".single", "expected an array");
    bool seen_seq = false;
    for (size_t i = 0; i < single.size(); ++i) {
      std::string f = field + ".single[" + std::to_string(i) + "]";
      const json& piece = single[i];
      if (piece.contains("Sequence")) {
        if (seen_seq) fail(f, "more than one Sequence in a single template");
        seen_seq = true;
      } else if (piece.contains("SpecialToken")) {
        std::string name = need_string(piece["SpecialToken"], "id", f + ".SpecialToken.id");
        if (!specials.contains(name)) fail(field + ".special_tokens", "no entry for '" + name + "'");
        const json& ids = need(specials[name], "ids", field + ".special_tokens." + name + ".ids");
        if (!ids.is_array()) fail(field + ".special_tokens." + name + ".ids", "expected an array");
        for (const auto& id : ids) {
          if (!id.is_number_integer()) fail(field + ".special_tokens." + name + ".ids", "expected integers");
          (seen_seq ? t.suffix_ids : t.prefix_ids).push_back(id.get<int32_t>());
        }
      } else {
        fail(f, "expected Sequence or SpecialToken");
      }
    }
    if (!seen_seq) fail(field + ".single", "no Sequence in the template");
  }

  void decoder(const json& d, const std::string& field) const {
    if (d.is_null()) fail(field, "missing (byte-level BPE needs a ByteLevel decoder)");
    std::string type = need_string(d, "type", field + ".type");
    if (type == "Sequence") {
      const json& list = need(d, "decoders", field + ".decoders");
      if (!list.is_array() || list.empty()) fail(field + ".decoders", "expected a non-empty array");
      for (size_t i = 0; i < list.size(); ++i) decoder(list[i], field + ".decoders[" + std::to_string(i) + "]");
      return;
    }
    if (type != "ByteLevel") fail(field + ".type", "unsupported decoder '" + type + "' (supported: ByteLevel)");
  }

  void model(TokenizerImpl& t, const json& m) const {
    std::string type = need_string(m, "type", "model.type");
    if (type != "BPE") fail("model.type", "unsupported '" + type + "' (supported: BPE)");
    if (m.contains("dropout") && !m["dropout"].is_null() && m["dropout"].get<double>() != 0.0)
      fail("model.dropout", "BPE dropout is not supported (it makes encoding random)");
    for (const char* k : {"continuing_subword_prefix", "end_of_word_suffix"})
      if (m.contains(k) && m[k].is_string() && !m[k].get<std::string>().empty())
        fail(std::string("model.") + k, "not supported for byte-level BPE");
    t.ignore_merges = opt_bool(m, "ignore_merges", false, "model.ignore_merges");
    bool byte_fallback = opt_bool(m, "byte_fallback", false, "model.byte_fallback");

    const json& vocab = need(m, "vocab", "model.vocab");
    if (!vocab.is_object() || vocab.empty()) fail("model.vocab", "expected a non-empty object of token -> id");
    int32_t max_id = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it)
      if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 || it.value().get<int64_t>() > (1 << 24))
        fail("model.vocab." + it.key(), "expected an id in [0, 2^24]");
      else max_id = std::max(max_id, it.value().get<int32_t>());
    t.id_bytes.assign(static_cast<size_t>(max_id) + 1, {});
    t.id_token.assign(static_cast<size_t>(max_id) + 1, {});
    std::vector<char> seen(static_cast<size_t>(max_id) + 1, 0);
    t.vocab.reserve(vocab.size() * 2);
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
      int32_t id = it.value().get<int32_t>();
      if (seen[static_cast<size_t>(id)]) fail("model.vocab." + it.key(), "id " + std::to_string(id) + " used twice");
      seen[static_cast<size_t>(id)] = 1;
      t.id_token[static_cast<size_t>(id)] = it.key();
      if (auto raw = byte_level_decode(it.key())) {
        t.id_bytes[static_cast<size_t>(id)] = *raw;
        t.vocab.emplace(*raw, id);
      }
    }
    for (int b = 0; b < 256; ++b) {
      auto it = t.vocab.find(std::string_view(reinterpret_cast<const char*>(&b), 1));
      t.byte_id[b] = it == t.vocab.end() ? -1 : it->second;
      t.byte_fallback_id[b] = -1;
      if (byte_fallback) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        if (vocab.contains(name)) t.byte_fallback_id[b] = vocab[name].get<int32_t>();
      }
    }
    if (m.contains("unk_token") && m["unk_token"].is_string()) {
      std::string unk = m["unk_token"].get<std::string>();
      if (!vocab.contains(unk)) fail("model.unk_token", "'" + unk + "' is not in model.vocab");
      t.unk_id = vocab[unk].get<int32_t>();
    }

    const json& merges = need(m, "merges", "model.merges");
    if (!merges.is_array()) fail("model.merges", "expected an array");
    t.merges.reserve(merges.size() * 2);
    for (size_t r = 0; r < merges.size(); ++r) {
      std::string f = "model.merges[" + std::to_string(r) + "]";
      std::string a, b;
      const json& e = merges[r];
      if (e.is_string()) {  // "a b" (older files, Llama-3)
        const std::string& s = e.get_ref<const std::string&>();
        size_t sp = s.find(' ');
        if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) fail(f, "expected \"left right\"");
        a = s.substr(0, sp);
        b = s.substr(sp + 1);
      } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {  // ["a", "b"] (newer files)
        a = e[0].get<std::string>();
        b = e[1].get<std::string>();
      } else {
        fail(f, "expected \"left right\" or [left, right]");
      }
      auto ia = vocab.find(a), ib = vocab.find(b), iab = vocab.find(a + b);
      if (ia == vocab.end() || ib == vocab.end() || iab == vocab.end())
        fail(f, "'" + a + "' + '" + b + "': a part or the merged token is not in model.vocab");
      uint64_t key = (static_cast<uint64_t>(ia->get<uint32_t>()) << 32) | ib->get<uint32_t>();
      uint64_t val = (static_cast<uint64_t>(r) << 32) | iab->get<uint32_t>();
      t.merges.emplace(key, val);  // first (lowest-rank) occurrence wins, as in HF
    }
    t.vocab_size = max_id + 1;
  }

  void added_tokens(TokenizerImpl& t, const json& list) const {
    if (list.is_null()) return;
    if (!list.is_array()) fail("added_tokens", "expected an array");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string f = "added_tokens[" + std::to_string(i) + "]";
      const json& a = list[i];
      const json& id = need(a, "id", f + ".id");
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > (1 << 24)) fail(f + ".id", "expected an id in [0, 2^24]");
      AddedToken tok{id.get<int32_t>(), need_string(a, "content", f + ".content"),
                     opt_bool(a, "lstrip", false, f + ".lstrip"), opt_bool(a, "rstrip", false, f + ".rstrip"),
                     opt_bool(a, "single_word", false, f + ".single_word"), opt_bool(a, "normalized", false, f + ".normalized"),
                     opt_bool(a, "special", false, f + ".special")};
      if (tok.content.empty()) fail(f + ".content", "empty");
      if (!utf8_valid(tok.content)) fail(f + ".content", "not valid UTF-8");
      t.vocab_size = std::max(t.vocab_size, tok.id + 1);
      auto idx = static_cast<int32_t>(t.added.size());
      (tok.normalized && t.norm != NormForm::none ? t.trie_norm : t.trie_raw)
          .insert(tok.normalized ? utf8_normalize(tok.content, t.norm) : tok.content, idx);
      t.added_by_content[tok.content] = tok.id;
      t.added.push_back(std::move(tok));
    }
  }
};

}  // namespace

void AddedTrie::insert(std::string_view s, int32_t token_index) {
  int32_t node = 0;
  for (unsigned char c : s) {
    auto it = nodes[static_cast<size_t>(node)].next.find(c);
    if (it == nodes[static_cast<size_t>(node)].next.end()) {
      nodes.emplace_back();
      int32_t nn = static_cast<int32_t>(nodes.size()) - 1;
      nodes[static_cast<size_t>(node)].next[c] = nn;
      node = nn;
    } else {
      node = it->second;
    }
  }
  nodes[static_cast<size_t>(node)].token = token_index;
  first_byte[static_cast<unsigned char>(s[0])] = true;
}

size_t AddedTrie::match(std::string_view text, size_t pos, int32_t& token) const {
  size_t best = 0;
  int32_t node = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const auto& next = nodes[static_cast<size_t>(node)].next;
    auto it = next.find(static_cast<unsigned char>(text[i]));
    if (it == next.end()) break;
    node = it->second;
    if (nodes[static_cast<size_t>(node)].token >= 0) {
      best = i + 1 - pos;
      token = nodes[static_cast<size_t>(node)].token;
    }
  }
  return best;
}

Tokenizer Tokenizer::from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number that overflows
    throw_input(source, std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw_input(source, "expected a JSON object");
  auto t = std::make_shared<TokenizerImpl>();
  t->source = source;
  Loader L{source};
  try {
    L.normalizer(*t, j.value("normalizer", json()), "normalizer");
    bool saw_byte_level = false;
    L.pre_tokenizer(*t, j.value("pre_tokenizer", json()), "pre_tokenizer", saw_byte_level);
    if (!saw_byte_level) L.fail("pre_tokenizer", "no ByteLevel pre-tokenizer (only byte-level BPE is supported)");
    L.model(*t, L.need(j, "model", "model"));
    L.added_tokens(*t, j.value("added_tokens", json()));
    L.post_processor(*t, j.value("post_processor", json()), "post_processor");
    L.decoder(j.value("decoder", json()), "decoder");
  } catch (const json::exception& e) {  // a type mismatch deep inside a field we did not pre-check
    throw_input(source, std::string("unexpected JSON type: ") + e.what());
  }
  t->id_special.assign(static_cast<size_t>(t->vocab_size), 0);
  if (t->id_token.size() < static_cast<size_t>(t->vocab_size)) {
    t->id_token.resize(static_cast<size_t>(t->vocab_size));
    t->id_bytes.resize(static_cast<size_t>(t->vocab_size));
  }
  for (const auto& a : t->added) {
    t->id_token[static_cast<size_t>(a.id)] = a.content;
    if (a.special) t->id_special[static_cast<size_t>(a.id)] = 1;
  }
  for (int32_t id : t->prefix_ids)
    if (id < 0 || id >= t->vocab_size) throw_input(source, "post_processor: special token id " + std::to_string(id) + " out of range");
  for (int32_t id : t->suffix_ids)
    if (id < 0 || id >= t->vocab_size) throw_input(source, "post_processor: special token id " + std::to_string(id) + " out of range");
  return Tokenizer(std::move(t));
}

Tokenizer Tokenizer::load(const std::string& path) {
  std::string file = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) file = (std::filesystem::path(path) / "tokenizer.json").string();
  return from_json(file_read(file), file);
}

}  // namespace rlvr
