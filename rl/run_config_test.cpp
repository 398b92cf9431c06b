// run_config_test.cpp: run TOML parsing, --set overrides and the error for every kind of bad key.
#include "rl/run_config.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace {

const char* kRun = R"(
[run]
name = "quick/synth-micro/math/0"
seed = 3
[model]
path = "results/zoo/synth-micro"
template = "qwen-math"
[data]
train = "t.jsonl"
eval = "e.jsonl"
[reward]
name = "math"
[train]
steps = 5
prompts_per_rollout = 8
samples_per_prompt = 4
train_batch = 16
lr = 1e-5
)";

TEST(RunConfig, ParsesAndDerives) {
  auto c = rlvr::run_config_parse(kRun, "run.toml", {});
  EXPECT_EQ(c.name, "quick/synth-micro/math/0");
  EXPECT_EQ(c.seed, 3);
  EXPECT_EQ(c.reward_seed, 3);  // defaults to run.seed
  EXPECT_EQ(c.updates_per_rollout(), 2);
  EXPECT_DOUBLE_EQ(c.lr, 1e-5);
  EXPECT_EQ(c.preset, "standard");
  EXPECT_DOUBLE_EQ(c.clip_low, 0.2);  // standard preset defaults
  EXPECT_DOUBLE_EQ(c.beta2, 0.95);
  EXPECT_EQ(c.loss_agg, rlvr::LossAgg::seq_mean_token_mean);
}

TEST(RunConfig, OverridesTakeTomlValuesOrBareStrings) {
  auto c = rlvr::run_config_parse(kRun, "run.toml",
                                  {"train.clip=false", "reward.name=random0.5", "train.lr=2e-6", "train.steps=7", "run.name=123"});
  EXPECT_FALSE(c.clip);
  EXPECT_EQ(c.reward, "random0.5");
  EXPECT_DOUBLE_EQ(c.lr, 2e-6);
  EXPECT_EQ(c.steps, 7);
  EXPECT_EQ(c.name, "123");
}

TEST(RunConfig, UpdatesPerRolloutSetsTheTrainBatch) {
  auto c = rlvr::run_config_parse(kRun, "run.toml", {"train.updates_per_rollout=1"});
  EXPECT_EQ(c.train_batch, 32);
  EXPECT_EQ(c.updates_per_rollout(), 1);
  EXPECT_THROW(rlvr::run_config_parse(kRun, "run.toml", {"train.updates_per_rollout=3"}), rlvr::InputError);
  auto d = rlvr::run_config_parse(kRun, "run.toml", {"model.path=", "model.dir=/m", "model.name=Qwen2.5-Math-7B"});
  EXPECT_EQ(d.model_path, "/m/Qwen2.5-Math-7B");
}

TEST(RunConfig, MicroBatchSetsGradAccum) {
  auto c = rlvr::run_config_parse(kRun, "run.toml", {"train.micro_batch=4", "train.loss_agg=micro-token-mean"});
  EXPECT_EQ(c.grad_accum, 4) << "train_batch 16 / micro_batch 4";
  EXPECT_EQ(c.loss_agg, rlvr::LossAgg::micro_token_mean);
  EXPECT_THROW(rlvr::run_config_parse(kRun, "run.toml", {"train.micro_batch=5"}), rlvr::InputError);
  EXPECT_THROW(rlvr::run_config_parse(kRun, "run.toml", {"train.micro_batch=4", "train.grad_accum=2"}), rlvr::InputError);
  auto u = rlvr::run_config_parse(kRun, "run.toml", {"train.unclipped=pi", "eval.prefix=Let's go.", "reward.r1_style=true"});
  EXPECT_EQ(u.unclipped, rlvr::UnclippedForm::pi);
  EXPECT_EQ(u.eval_prefix, "Let's go.");
  EXPECT_TRUE(u.reward_r1_style);
  EXPECT_THROW(rlvr::run_config_parse(kRun, "run.toml", {"train.unclipped=half"}), rlvr::InputError);
}

TEST(RunConfig, PaperPresetIsTheScriptsPackedLossAndGivenKeysOverrideIt) {
  auto p = rlvr::run_config_parse(kRun, "run.toml", {"train.preset=paper"});
  EXPECT_EQ(p.loss_agg, rlvr::LossAgg::micro_token_mean);
  EXPECT_EQ(p.micro_batch, 4);
  EXPECT_EQ(p.grad_accum, 4) << "train_batch 16 / micro_batch 4";
  EXPECT_DOUBLE_EQ(p.lr, 1e-5) << "the file's keys still apply";
  EXPECT_DOUBLE_EQ(p.clip_high, 0.2);
  auto own = rlvr::run_config_parse(kRun, "run.toml", {"train.preset=paper", "train.loss_agg=token-mean"});
  EXPECT_EQ(own.loss_agg, rlvr::LossAgg::token_mean);
  auto accum = rlvr::run_config_parse(kRun, "run.toml", {"train.preset=paper", "train.grad_accum=2"});
  EXPECT_EQ(accum.micro_batch, 0) << "an explicit grad_accum replaces the preset's micro-batches";
  EXPECT_EQ(accum.grad_accum, 2);
  auto std_ = rlvr::run_config_parse(kRun, "run.toml", {"train.preset=standard"});
  EXPECT_EQ(std_.loss_agg, rlvr::LossAgg::seq_mean_token_mean);
  EXPECT_EQ(std_.grad_accum, 1);
  // The canonical TOML of a paper-preset run reads back to the same config.
  auto back = rlvr::run_config_parse(rlvr::run_config_toml(p), "canonical", {});
  EXPECT_EQ(rlvr::run_config_toml(back), rlvr::run_config_toml(p));
}

TEST(RunConfig, CanonicalTomlRoundTrips) {
  auto c = rlvr::run_config_parse(kRun, "run.toml", {"train.clip=false"});
  auto again = rlvr::run_config_parse(rlvr::run_config_toml(c), "canonical", {});
  EXPECT_EQ(rlvr::run_config_flat(c), rlvr::run_config_flat(again));
}

TEST(RunConfig, EveryMistakeNamesTheKey) {
  struct Case { std::vector<std::string> sets; std::string needle; };
  const std::vector<Case> cases = {
      {{"train.lrr=1"}, "train.lrr: unknown key"},
      {{"train.steps=many"}, "train.steps: expected an integer"},
      {{"train.clip=maybe"}, "train.clip: expected true or false"},
      {{"train.train_batch=7"}, "train.train_batch: must divide the rollout batch (32 responses)"},
      {{"train.grad_accum=3"}, "train.grad_accum: must divide"},
      {{"train.loss_agg=mean"}, "train.loss_agg: unknown 'mean'"},
      {{"eval.grader=lenient"}, "eval.grader: unknown 'lenient'"},
      {{"reward.labels=oracle"}, "reward.labels: unknown 'oracle'"},
      {{"train.temperature=0"}, "train.temperature: must be > 0"},
      {{"noequals"}, "--set noequals: expected key=value"},
      {{"train.preset=dapo"}, "train.preset: unknown preset 'dapo' (known: standard, paper)"},
      {{"eval.probe=1"}, "eval.probe: must be 0 (off) or a fraction in (0, 1)"},
      {{"eval.probe=-0.2"}, "eval.probe: must be 0 (off) or a fraction in (0, 1)"},
  };
  for (const auto& c : cases) {
    try {
      rlvr::run_config_parse(kRun, "run.toml", c.sets);
      ADD_FAILURE() << c.needle << ": no error";
    } catch (const rlvr::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.needle), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(rlvr::run_config_parse("[run\nname=1", "bad.toml", {}), rlvr::InputError);
  EXPECT_THROW(rlvr::run_config_parse("[train]\nsteps = 1\n", "nomodel.toml", {}), rlvr::InputError);
  EXPECT_THROW(rlvr::run_config_parse(std::string(kRun) + "\n[extra]\nthing = 1\n", "x.toml", {}), rlvr::InputError);
}

}  // namespace
