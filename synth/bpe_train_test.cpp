#include "synth/bpe_train.h"

#include <gtest/gtest.h>

#include "tests/test_paths.h"
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <regex>
#include <set>

#include "synth/corpus_sample.h"

namespace rlvr::synth {
namespace {

using test::source_dir;

TEST(BpeTrain, ByteLevelAlphabetIsGpt2s) {
  EXPECT_EQ(byte_level_symbol(' '), "\u0120");   // Ġ
  EXPECT_EQ(byte_level_symbol('\n'), "\u010a");  // Ċ
  EXPECT_EQ(byte_level_symbol(0), "\u0100");
  EXPECT_EQ(byte_level_symbol(0xAD), "\u0143");  // Ń, GPT-2's soft hyphen
  EXPECT_EQ(byte_level_symbol('a'), "a");
  EXPECT_EQ(byte_level_symbol(0xFF), "\u00ff");
  std::set<std::string> all;
  for (int b = 0; b < 256; ++b) all.insert(byte_level_symbol(static_cast<uint8_t>(b)));
  EXPECT_EQ(all.size(), 256u);  // reversible
}

TEST(BpeTrain, PreTokenizerSplitsDigitsOneByOne) {
  EXPECT_EQ(bpe_pre_tokenize("Compute $12 + 3$.\nstep1 = 7  # 12"),
            (std::vector<std::string>{"Compute", " $", "1", "2", " +", " ", "3", "$.\n", "step", "1", " =", " ", "7",
                                      " ", " #", " ", "1", "2"}));
}

TEST(BpeTrain, MergesTheMostFrequentPairFirstAndStopsWhenNothingRepeats) {
  const std::vector<std::string> texts = {"aaa aaa aaa"};
  const BpeVocab v = bpe_train(texts, {.merges = 10});
  const std::vector<std::pair<std::string, std::string>> want = {{"a", "a"}, {"aa", "a"}, {"\u0120", "aaa"}};
  EXPECT_EQ(v.merges, want);
  EXPECT_EQ(v.tokens.size(), 259u);
  EXPECT_EQ(v.tokens.back(), "\u0120aaa");
}

TEST(BpeTrain, TokenizerJsonIsQwen2ShapedAndDeterministic) {
  const CorpusSampler corpus(zoo_spec_load(source_dir() + "/models/zoo/synth-micro.toml"));
  const auto texts = corpus_texts(corpus, 1500);
  const BpeVocab v = bpe_train(texts, {.merges = 300});
  const std::string js = bpe_tokenizer_json(v);
  EXPECT_EQ(js, bpe_tokenizer_json(bpe_train(texts, {.merges = 300})));
  const auto j = nlohmann::json::parse(js);
  EXPECT_EQ(j["model"]["type"], "BPE");
  // The world's vocabulary is small: training stops once every word of the sample is one token.
  EXPECT_GT(j["model"]["merges"].size(), 100u);
  EXPECT_LE(j["model"]["merges"].size(), 300u);
  EXPECT_EQ(j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"], std::string(kQwen2SplitRegex));
  EXPECT_EQ(j["decoder"]["type"], "ByteLevel");
  const auto& vocab = j["model"]["vocab"];
  EXPECT_EQ(vocab.size(), v.tokens.size());
  EXPECT_EQ(vocab["\u0120"], ' ');
  for (const auto& m : j["model"]["merges"]) {
    const std::string a = m[0], b = m[1];
    ASSERT_TRUE(vocab.contains(a) && vocab.contains(b) && vocab.contains(a + b)) << a << " " << b;
    // \p{N} pieces are single digits: no learned token may hold a digit.
    ASSERT_EQ((a + b).find_first_of("0123456789"), std::string::npos) << a + b;
  }
  ASSERT_EQ(j["added_tokens"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(j["added_tokens"][i]["id"], v.tokens.size() + i);
    EXPECT_TRUE(j["added_tokens"][i]["special"].get<bool>());
  }
  EXPECT_EQ(j["added_tokens"][2]["content"], "<|im_end|>");
  if (j["model"]["merges"].size() < 300) {
    const std::regex specials(R"(<\|(endoftext|im_start|im_end)\|>)");
    for (const std::string& t : {texts[0], texts[1]})
      for (auto it = std::sregex_token_iterator(t.begin(), t.end(), specials, -1); it != std::sregex_token_iterator(); ++it)
        for (const std::string& w : bpe_pre_tokenize(it->str())) {
          std::string sym;
          for (unsigned char c : w) sym += byte_level_symbol(c);
          EXPECT_TRUE(vocab.contains(sym)) << "stopped early, yet '" << w << "' is split";
        }
  }
  // The corpus's frequent words are learned whole.
  EXPECT_TRUE(vocab.contains("\u0120answer"));
  EXPECT_TRUE(vocab.contains("python"));
}

}  // namespace
}  // namespace rlvr::synth
