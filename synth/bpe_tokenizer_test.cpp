// The trained tokenizer.json through the project's own loader (models/tokenizer.h): round trip,
// special tokens, compression, and the same ids as the JS port of HF tokenizers.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "models/tokenizer.h"
#include "synth/bpe_train.h"
#include "synth/corpus_sample.h"
#include "tests/test_paths.h"
#include "util/file.h"

namespace rlvr::synth {
namespace {

std::string zoo(const std::string& name) { return test::source_dir() + "/models/zoo/" + name + ".toml"; }

// Documents used for training and the held-out documents measured (disjoint index ranges).
constexpr size_t kTrainDocs = 1500;
constexpr uint64_t kHeldOutFrom = 1000000, kHeldOut = 300;

struct Trained {
  CorpusSampler corpus;
  BpeVocab vocab;
  Tokenizer tok;
};

Trained train(const std::string& name, int merges) {
  CorpusSampler corpus(zoo_spec_load(zoo(name)));
  BpeVocab v = bpe_train(corpus_texts(corpus, kTrainDocs), {.merges = merges});
  Tokenizer tok = Tokenizer::from_json(bpe_tokenizer_json(v), name + "/tokenizer.json");
  return {std::move(corpus), std::move(v), std::move(tok)};
}

TEST(BpeTokenizer, RoundTripsAndCompressesHeldOutCorpus) {
  for (const char* name : {"synth-micro", "synth-qwen-math-7b", "synth-olmo2-7b"}) {
    SCOPED_TRACE(name);
    const Trained t = train(name, 256);
    EXPECT_EQ(t.tok.vocab_size(), static_cast<int32_t>(t.vocab.tokens.size() + 3));
    size_t tokens = 0, chars = 0;
    for (uint64_t i = kHeldOutFrom; i < kHeldOutFrom + kHeldOut; ++i) {
      const std::string text = corpus_render(t.corpus.doc(i), t.corpus.spec().chat_template);
      const auto ids = t.tok.encode(text);
      ASSERT_EQ(t.tok.decode(ids), text);
      tokens += ids.size();
      chars += text.size();
    }
    const double per_char = static_cast<double>(tokens) / static_cast<double>(chars);
    std::printf("%-20s %zu merges, vocab %d: %.3f tokens/char on %llu held-out documents (%.1f tokens each)\n", name,
                t.vocab.merges.size(), t.tok.vocab_size(), per_char, static_cast<unsigned long long>(kHeldOut),
                static_cast<double>(tokens) / kHeldOut);
    EXPECT_LT(per_char, 0.45);  // bytes would be 1.0; digits stay single tokens, so not much lower
    // Special tokens are single ids, and the digits of a number are one token each.
    for (std::string_view s : {kEndOfText, kImStart, kImEnd}) {
      const auto ids = t.tok.encode(s);
      ASSERT_EQ(ids.size(), 1u) << s;
      EXPECT_TRUE(t.tok.is_special(ids[0]));
    }
    EXPECT_EQ(t.tok.encode("12345").size(), 5u);
    // Text outside the world still round-trips (byte-level: nothing is unknown).
    const std::string odd = "Unseen: caf\u00e9 \u2211 \U0001F600,\ttabs  and\r\n  spaces python";
    EXPECT_EQ(t.tok.decode(t.tok.encode(odd)), odd);
  }
}

TEST(BpeTokenizer, ByteTokenizerIsTheZeroMergeCase) {
  const BpeVocab v = bpe_train(std::vector<std::string>{"aaa aaa"}, {.merges = 0});
  const Tokenizer tok = Tokenizer::from_json(bpe_tokenizer_json(v), "byte/tokenizer.json");
  const std::string text = "Compute $7 + 5$.";
  EXPECT_EQ(tok.encode(text).size(), text.size());
  EXPECT_EQ(tok.vocab_size(), 259);
}

// Same ids from the JS port of HF tokenizers (skipped where node or the npm data is missing).
TEST(BpeTokenizer, SameIdsAsTheJsReference) {
  const std::string nm = test::node_modules();
  if (!std::filesystem::exists(nm + "/@lenml/tokenizers") || std::system("node --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "node or " << nm << "/@lenml/tokenizers missing";
  const Trained t = train("synth-qwen-math-7b", 256);
  const std::string dir = testing::TempDir() + "/bpe_js";
  std::filesystem::create_directories(dir);
  file_write_atomic(dir + "/tokenizer.json", bpe_tokenizer_json(t.vocab));
  file_write_atomic(dir + "/tokenizer_config.json", bpe_tokenizer_config_json(t.vocab, kImEnd, 384));
  std::vector<std::string> held;
  for (uint64_t i = kHeldOutFrom; i < kHeldOutFrom + 100; ++i)
    held.push_back(corpus_render(t.corpus.doc(i), ChatTemplate::chatml));
  held.push_back("Unseen: caf\u00e9 \u2211 \U0001F600, tabs\tand   spaces\n\n  python 12345");
  std::string in;
  for (const auto& s : held) in += nlohmann::json(s).dump() + "\n";
  file_write_atomic(dir + "/in.jsonl", in);
  const std::string cmd = "node " + test::source_dir() + "/tests/data/synth/tokenizer_roundtrip.mjs " + nm + " " + dir +
                          "/tokenizer.json " + dir + "/tokenizer_config.json < " + dir + "/in.jsonl > " + dir + "/out.jsonl";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream out(dir + "/out.jsonl");
  std::string line;
  size_t i = 0;
  while (std::getline(out, line)) {
    ASSERT_LT(i, held.size());
    const auto r = nlohmann::json::parse(line);
    EXPECT_EQ(r["decoded"].get<std::string>(), held[i]);
    EXPECT_EQ(r["ids"].get<std::vector<int32_t>>(), t.tok.encode(held[i])) << held[i];
    ++i;
  }
  EXPECT_EQ(i, held.size());
}

}  // namespace
}  // namespace rlvr::synth
