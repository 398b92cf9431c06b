#include <algorithm>
#include "synth/prior_spec.h"
#include "synth/corpus_cues.h"

#include <gtest/gtest.h>

#include "tests/test_paths.h"

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "util/error.h"
#include "util/file.h"

namespace rlvr::synth {
namespace {

std::string zoo_dir() {
  return test::source_dir() + "/models/zoo";
}

const char* kNames[] = {"synth-qwen-math-7b", "synth-qwen-math-1.5b", "synth-qwen-7b",
                        "synth-olmo2-7b-sft", "synth-llama-8b-instruct", "synth-olmo2-7b", "synth-micro"};

TEST(PriorSpec, EveryZooSpecLoads) {
  for (const char* name : kNames) {
    const ZooSpec s = zoo_spec_load(zoo_dir() + "/" + name + ".toml");
    EXPECT_EQ(s.name, name);
    EXPECT_GT(s.size.layers, 0);
    EXPECT_EQ(s.tokenizer.kind, TokenizerKind::bpe);
  }
  // The Table 1 shape the zoo must mirror (docs/paper.md, "Table 1"): who codes, and whose code is better.
  auto load = [](const char* n) { return zoo_spec_load(zoo_dir() + "/" + n + ".toml"); };
  const ZooSpec qm7 = load("synth-qwen-math-7b"), qm15 = load("synth-qwen-math-1.5b"), q7 = load("synth-qwen-7b"),
                sft = load("synth-olmo2-7b-sft"), llama = load("synth-llama-8b-instruct"), olmo = load("synth-olmo2-7b");
  EXPECT_LT(qm7.prior.code_error, qm7.prior.language_error);
  EXPECT_LT(qm15.prior.box_rate, 0.5);
  EXPECT_GT(q7.prior.code_error, q7.prior.language_error);
  EXPECT_GT(sft.prior.code_share, q7.prior.code_share);
  EXPECT_EQ(llama.prior.code_share, 0.0);
  EXPECT_EQ(olmo.prior.code_share, 0.0);
  EXPECT_GT(olmo.prior.language_error, llama.prior.language_error);
  EXPECT_EQ(olmo.family, "olmo2");
  EXPECT_EQ(llama.family, "llama");
  // Distinct seeds: no two models share a corpus.
  EXPECT_NE(qm7.seed, q7.seed);
}

TEST(PriorSpec, CanonicalFormIsStableAndCoversTheFields) {
  const ZooSpec s = zoo_spec_load(zoo_dir() + "/synth-micro.toml");
  const std::string c = zoo_spec_canonical(s);
  EXPECT_EQ(c, zoo_spec_canonical(zoo_spec_load(zoo_dir() + "/synth-micro.toml")));
  ZooSpec t = s;
  t.prior.box_rate = 0.5;
  EXPECT_NE(c, zoo_spec_canonical(t));
  EXPECT_NE(c.find("\"ops\":\"+-*\""), std::string::npos) << c;
}

// The mechanism knobs enter the canonical form (the cache key) only where a spec sets them, so
// the specs without them keep their keys and their built models.
TEST(PriorSpec, MechanismKnobsOnlyInTheKeysOfSpecsThatSetThem) {
  const std::string micro = zoo_spec_canonical(zoo_spec_load(zoo_dir() + "/synth-micro.toml"));
  EXPECT_EQ(micro.find("code_spread"), std::string::npos);
  EXPECT_EQ(micro.find("language_variety"), std::string::npos);
  EXPECT_EQ(micro.find("contaminate"), std::string::npos);
  // The leaked control (outside models/zoo) carries its contamination in its key.
  const ZooSpec leaky = zoo_spec_load(zoo_dir() + "/../zoo-controls/synth-micro-leaky.toml");
  EXPECT_EQ(leaky.train.contaminate, 1.0);
  EXPECT_NE(zoo_spec_canonical(leaky).find("\"contaminate\":1.0"), std::string::npos) << zoo_spec_canonical(leaky);
  const ZooSpec s = zoo_spec_load(zoo_dir() + "/synth-micro-spread.toml");
  ASSERT_TRUE(s.prior.code_spread.has_value());
  EXPECT_EQ(*s.prior.code_spread, 1.5);
  EXPECT_EQ(s.prior.language_variety, 4);
  const std::string c = zoo_spec_canonical(s);
  EXPECT_NE(c.find("\"code_spread\":1.5"), std::string::npos) << c;
  EXPECT_NE(c.find("\"language_variety\":4"), std::string::npos) << c;
}

// The mechanism member's blocks: 3 of 8 phrasings (9 of 24 classes) at 0.35, 5 at 0.95, whose mean is
// its code_share; a block holds whole phrasings, every operator of one phrasing alike.
TEST(PriorSpec, CodeBlocksPlantTheirPropensities) {
  const ZooSpec s = zoo_spec_load(zoo_dir() + "/synth-micro-mech.toml");
  ASSERT_EQ(s.prior.code_blocks.size(), 2u);
  const std::vector<double> p = cue_code_classes(s.prior, s.world);
  ASSERT_EQ(p.size(), 24u);
  EXPECT_EQ(std::count(p.begin(), p.end(), 0.35), 9);
  EXPECT_EQ(std::count(p.begin(), p.end(), 0.95), 15);
  const int ops = static_cast<int>(s.world.ops.size());
  for (int c = 0; c < 24; ++c) EXPECT_EQ(p[static_cast<size_t>(c)], p[static_cast<size_t>(c / ops * ops)]) << "class " << c;
  EXPECT_NE(zoo_spec_canonical(s).find("\"code_blocks\":[[0.375,0.35],[0.625,0.95]]"), std::string::npos) << zoo_spec_canonical(s);
}

// Each edit of the micro spec must fail with "FILE: FIELD: what".
TEST(PriorSpec, MalformedSpecsNameFileAndField) {
  const std::string good = file_read(zoo_dir() + "/synth-micro.toml");
  ASSERT_NO_THROW(zoo_spec_parse(good, "x.toml"));
  struct Case {
    std::string from, to, needle;
  };
  const std::vector<Case> cases = {
      {"code_share = 0.65\n", "", "x.toml: prior.code_share: missing"},
      {"code_share = 0.65", "code_share = 1.5", "x.toml: prior.code_share: must be in [0, 1], got 1.5"},
      {"code_share = 0.65", "code_share = \"high\"", "x.toml: prior.code_share: expected a number"},
      {"code_share = 0.65", "code_share = 0.65\ncode_shar = 0.1", "x.toml: prior.code_shar: unknown field"},
      {"family = \"qwen2\"", "family = \"gpt2\"", "x.toml: family: unknown 'gpt2' (allowed: qwen2, llama, olmo2)"},
      {"layers = 2", "layers = 2.5", "x.toml: size.layers: expected an integer"},
      {"heads = 4", "heads = 3", "x.toml: size.heads: must divide d_model"},
      {"kv_heads = 2", "kv_heads = 3", "x.toml: size.kv_heads: must divide heads"},
      {"kind = \"bpe\"", "kind = \"wordpiece\"", "x.toml: tokenizer.kind: unknown 'wordpiece'"},
      {"merges = 256", "merges = 0", "x.toml: tokenizer.merges: kind = \"bpe\" needs merges >= 1"},
      {"seed = 7000", "seed = -1", "x.toml: seed: must be in [0,"},
      {"[tolerance]", "[tolerances]", "x.toml: tolerance: missing"},
      {"box_rate = 0.12", "box_rate = 0", "x.toml: tolerance.box_rate: must be in [0.001, 1]"},
      {"ops = \"+-*\"", "ops = \"+%\"", "x.toml: world.ops: unknown operator '%'"},
      {"steps_max = 3", "steps_max = 1", "x.toml: world.steps_max: must be in [steps_min, 8]"},
      {"name = \"synth-micro\"", "name = \"synth-micro\"\nname = \"again\"", "x.toml:5:"},
      {"code_focus = 0.9", "code_spread = 5", "x.toml: prior.code_spread: must be in [0, 4], got 5"},
      {"code_focus = 0.9", "code_spread = -0.5", "x.toml: prior.code_spread: must be in [0, 4], got -0.5"},
      {"code_focus = 0.9", "code_focus = 0.9\ncode_spread = 1", "x.toml: prior.code_focus: give code_focus or code_spread, not both"},
      {"code_focus = 0.9", "", "x.toml: prior.code_focus: missing"},
      {"box_focus = 0.9", "box_focus = 0.9\nlanguage_variety = 9", "x.toml: prior.language_variety: must be in [1, 4], got 9"},
      {"box_focus = 0.9", "box_focus = 0.9\nlanguage_variety = 1.5", "x.toml: prior.language_variety: expected an integer"},
      {"code_focus = 0.9", "code_blocks = [[0.5, 0.4], [0.4, 0.9]]", "x.toml: prior.code_blocks: the blocks' shares must sum to 1"},
      {"code_focus = 0.9", "code_blocks = [[0.5, 1.4], [0.5, 0.9]]",
       "x.toml: prior.code_blocks: block 0: share must be in (0, 1] and propensity in [0, 1]"},
      {"code_focus = 0.9", "code_blocks = [[0.5], [0.5, 0.9]]", "x.toml: prior.code_blocks: block 0: expected [share, propensity]"},
      {"code_focus = 0.9", "code_focus = 0.9\ncode_blocks = [[1.0, 0.65]]",
       "x.toml: prior.code_blocks: give one of code_focus, code_spread and code_blocks"},
      {"code_focus = 0.9", "code_blocks = [[0.5, 0.4], [0.5, 0.95]]", "x.toml: prior.code_share: 0.65 but code_blocks give 0.675 over this world's 24 cue classes"},
  };
  for (const Case& c : cases) {
    std::string bad = good;
    const size_t at = bad.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    bad.replace(at, c.from.size(), c.to);
    try {
      zoo_spec_parse(bad, "x.toml");
      ADD_FAILURE() << "accepted: " << c.needle;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.needle), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "not one line: " << e.what();
    }
  }
}

TEST(PriorSpec, NameMustMatchTheFile) {
  const std::string dir = testing::TempDir() + "/zoo_spec_test";
  std::filesystem::create_directories(dir);
  file_write_atomic(dir + "/other.toml", file_read(zoo_dir() + "/synth-micro.toml"));
  try {
    zoo_spec_load(dir + "/other.toml");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("other.toml: name: 'synth-micro' must equal the file name 'other'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(zoo_spec_load(dir + "/missing.toml"), InputError);
}

}  // namespace
}  // namespace rlvr::synth
