// trainer_test.cpp: the trainer end to end on a tiny random-weight qwen2 decoder with a tokenizer
// trained on the synthetic world: determinism, --resume after an interruption, rate-0 random
// reward, one update per rollout, NaN handling, and every metric logged.
#include "rl/trainer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <torch/torch.h>

#include "eval/grade_fn.h"
#include "models/model.h"
#include "rewards/reward.h"
#include "synth/bpe_train.h"
#include "synth/corpus_sample.h"
#include "synth/prior_spec.h"
#include "synth/world_export.h"
#include "tests/test_paths.h"
#include "util/file.h"

namespace fs = std::filesystem;

namespace {

// One folder per test binary run: a model, its tokenizer, train and eval data.
struct World {
  std::string dir;
  World() {
    dir = (fs::temp_directory_path() / ("rlvr_trainer_test_" + std::to_string(::getpid()))).string();
    fs::create_directories(dir + "/model");
    auto spec = rlvr::synth::zoo_spec_load(rlvr::test::source_dir() + "/models/zoo/synth-micro.toml");
    rlvr::synth::CorpusSampler corpus(spec);
    auto vocab = rlvr::synth::bpe_train(rlvr::synth::corpus_texts(corpus, 300), {.merges = 128});
    rlvr::file_write_atomic(dir + "/model/tokenizer.json", rlvr::synth::bpe_tokenizer_json(vocab));
    rlvr::ModelConfig c;
    c.family = rlvr::Family::qwen2;
    c.vocab_size = static_cast<int64_t>(vocab.tokens.size() + vocab.special_tokens.size());
    c.hidden_size = 32;
    c.intermediate_size = 48;
    c.num_layers = 2;
    c.num_heads = 4;
    c.num_kv_heads = 2;
    c.head_dim = 8;
    c.qkv_bias = true;
    c.tie_word_embeddings = true;
    c.eos_token_ids = {static_cast<int32_t>(vocab.tokens.size())};  // <|endoftext|>
    rlvr::model_save(rlvr::model_init(c, /*seed=*/5), dir + "/model", dir + "/model");
    write_split("train", 64, dir + "/train.jsonl");
    write_split("eval", 8, dir + "/eval.jsonl");
  }
  ~World() { fs::remove_all(dir); }
  static void write_split(const char* split, size_t n, const std::string& path) {
    auto s = std::string(split) == "train" ? rlvr::synth::Split::train : rlvr::synth::Split::eval;
    rlvr::file_write_atomic(path, rlvr::synth::world_export_jsonl(/*seed=*/0, s, n, rlvr::synth::WorldKnobs{}));
  }
};

World& world() {
  static World w;
  return w;
}

rlvr::RunConfig config(const std::string& name, std::vector<std::string> sets = {}) {
  std::string toml = "[run]\nname = \"" + name + "\"\nseed = 11\nthreads = 1\ncheckpoint_dir = \"" + world().dir + "/ckpt/" + name +
                     "\"\n[model]\npath = \"" + world().dir + "/model\"\ntemplate = \"qwen-math\"\n[data]\ntrain = \"" +
                     world().dir + "/train.jsonl\"\neval = \"" + world().dir + "/eval.jsonl\"\n[reward]\nname = \"random0.5\"\n"
                     "[train]\nsteps = 5\nprompts_per_rollout = 4\nsamples_per_prompt = 4\ntrain_batch = 8\nlr = 1e-3\n"
                     "max_response_len = 24\n[eval]\nevery = 2\nmax_new_tokens = 24\n";
  return rlvr::run_config_parse(toml, name + ".toml", sets);
}

rlvr::TrainHooks hooks(const rlvr::RunConfig& c) {
  rlvr::TrainHooks h;
  auto r = rlvr::rewards::reward_make(c.reward, static_cast<uint64_t>(c.reward_seed));
  h.reward = r.fn;
  h.grade_truth = rlvr::grade_fn_make("paper");
  h.grade_eval = rlvr::grade_fn_make(c.grader);
  return h;
}

std::string final_weights(const rlvr::RunConfig& c, int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "/step-%06lld", static_cast<long long>(step));
  return rlvr::file_read(c.checkpoint_dir + name + "/model.safetensors");
}

// Every step metric except wall-clock rates, for bit-identity checks.
std::map<std::pair<std::string, int64_t>, double> deterministic_metrics(rlvr::Store& st, int64_t run) {
  std::map<std::pair<std::string, int64_t>, double> out;
  for (const char* k : {"reward_mean", "train_accuracy", "code_frequency", "code_frequency_strict", "clip_frac_low", "clip_frac_high",
                        "approx_kl", "entropy", "loss", "grad_norm", "response_length", "kl_ref", "boxed_rate", "truncated_rate", "lr"})
    for (const auto& p : st.metric_curve(run, k)) out[{k, p.step}] = p.value.value_or(-12345);
  return out;
}

std::string db_path(const std::string& name) { return world().dir + "/" + name + ".db"; }

TEST(Trainer, SameSeedIsBitIdenticalAndEveryMetricIsLogged) {
  auto c1 = config("a"), c2 = config("b");
  rlvr::Store s1(db_path("a")), s2(db_path("b"));
  auto r1 = rlvr::train_run(c1, s1, hooks(c1), false);
  auto r2 = rlvr::train_run(c2, s2, hooks(c2), false);
  ASSERT_EQ(r1.status, rlvr::RunStatus::finished);
  ASSERT_EQ(r2.status, rlvr::RunStatus::finished);
  EXPECT_EQ(final_weights(c1, 5), final_weights(c2, 5));
  auto m1 = deterministic_metrics(s1, r1.run);
  EXPECT_EQ(m1, deterministic_metrics(s2, r2.run));
  EXPECT_EQ(m1.size(), 15u * 5u);  // 15 keys x 5 steps
  for (const char* k : {"rollout_tokens_per_s", "train_tokens_per_s", "step_seconds"})
    EXPECT_EQ(s1.metric_curve(r1.run, k).size(), 5u) << k;
  EXPECT_EQ(s1.eval_steps(r1.run, "eval"), (std::vector<int64_t>{0, 2, 4, 5}));
  EXPECT_EQ(s1.run_get(r1.run)->status, rlvr::RunStatus::finished);
  // and the weights moved
  EXPECT_NE(final_weights(c1, 5), rlvr::file_read(world().dir + "/model/model.safetensors"));
}

TEST(Trainer, InterruptedThenResumedEqualsUninterrupted) {
  auto full = config("full", {"run.checkpoint_every=1"});
  rlvr::Store s_full(db_path("full"));
  ASSERT_EQ(rlvr::train_run(full, s_full, hooks(full), false).status, rlvr::RunStatus::finished);

  auto part = config("part", {"run.checkpoint_every=1"});
  rlvr::Store s_part(db_path("part"));
  std::atomic<bool> stop{false};
  auto h = hooks(part);
  h.stop = &stop;
  h.progress = [&](const std::string& line) { if (line.rfind("step 3/", 0) == 0) stop = true; };
  auto r = rlvr::train_run(part, s_part, h, false);
  ASSERT_EQ(r.status, rlvr::RunStatus::killed);
  ASSERT_EQ(r.last_step, 3);
  EXPECT_EQ(s_part.run_get(r.run)->status, rlvr::RunStatus::killed);  // never recorded as finished
  auto resumed = rlvr::train_run(part, s_part, hooks(part), /*resume=*/true);
  ASSERT_EQ(resumed.status, rlvr::RunStatus::finished);
  EXPECT_EQ(resumed.run, r.run);
  EXPECT_EQ(final_weights(full, 5), final_weights(part, 5));
  EXPECT_EQ(deterministic_metrics(s_full, 1), deterministic_metrics(s_part, r.run));
}

TEST(Trainer, RandomRewardAtRateZeroLeavesWeightsUnchanged) {
  auto c = config("zero", {"reward.name=random0"});
  rlvr::Store s(db_path("zero"));
  auto r = rlvr::train_run(c, s, hooks(c), false);
  ASSERT_EQ(r.status, rlvr::RunStatus::finished);
  // model_save writes the same tensors in the same layout: unchanged weights mean identical bytes.
  EXPECT_EQ(final_weights(c, 5), rlvr::file_read(world().dir + "/model/model.safetensors"));
  for (const auto& p : s.metric_curve(r.run, "reward_mean")) EXPECT_EQ(p.value, 0.0);
  for (const auto& p : s.metric_curve(r.run, "grad_norm")) EXPECT_EQ(p.value, 0.0);
}

TEST(Trainer, WeightDecayIsDecoupledAndSparesNormsAndBiases) {
  // Rate-0 rewards: every gradient is 0, so Adam's step is 0 and only the decay moves a weight.
  // AdamW's decoupled decay scales each matrix by 1 - lr x wd per update and leaves norms and
  // biases alone; Adam's L2 decay would instead put wd x w into the gradient, and its step would
  // move every weight by about lr.
  auto c = config("decay", {"reward.name=random0", "train.weight_decay=0.1", "train.steps=2"});
  rlvr::Store s(db_path("decay"));
  auto r = rlvr::train_run(c, s, hooks(c), false);
  ASSERT_EQ(r.status, rlvr::RunStatus::finished);
  rlvr::Model m0 = rlvr::model_load(world().dir + "/model");
  rlvr::Model m1 = rlvr::model_load(c.checkpoint_dir + "/step-000002");
  const int64_t updates = c.steps * c.updates_per_rollout();
  for (torch::Tensor* w : {&m0.w.embed, &m0.w.qkv_w, &m0.w.o_w, &m0.w.gate_up_w, &m0.w.down_w})
    for (int64_t k = 0; k < updates; ++k) w->mul_(1.0 - c.lr * c.weight_decay);
  const auto a = m0.named_hf_tensors(), b = m1.named_hf_tensors();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i].second, b[i].second)) << a[i].first;
  for (const auto& p : s.metric_curve(r.run, "grad_norm")) EXPECT_EQ(p.value, 0.0);
}

TEST(Trainer, OneUpdatePerRolloutHasRatioOneAndNoClipping) {
  auto c = config("one", {"train.train_batch=16"});
  ASSERT_EQ(c.updates_per_rollout(), 1);
  rlvr::Store s(db_path("one"));
  auto r = rlvr::train_run(c, s, hooks(c), false);
  ASSERT_EQ(r.status, rlvr::RunStatus::finished);
  for (const char* k : {"clip_frac_low", "clip_frac_high", "approx_kl"})
    for (const auto& p : s.metric_curve(r.run, k)) EXPECT_EQ(p.value, 0.0) << k << " at step " << p.step;
  // with several updates per rollout the later ones do move the ratio
  auto c8 = config("eight", {"train.train_batch=2"});
  rlvr::Store s8(db_path("eight"));
  auto r8 = rlvr::train_run(c8, s8, hooks(c8), false);
  double kl = 0;
  for (const auto& p : s8.metric_curve(r8.run, "approx_kl")) kl += p.value.value_or(0);
  EXPECT_GT(kl, 0.0);
}

TEST(Trainer, TokenMeanIsOneMeanOverTheUpdateWhateverItsMicroBatches) {
  // train.loss_agg = token-mean: the update's loss is the token mean over all of its responses
  // (micro_loss_term), so splitting it into micro-batches changes neither the loss nor the gradient
  // (up to float32 rounding); micro-token-mean's would change (tests/grpo_conformance.py).
  // One update at ratio 1: the loss is minus the token mean of the whitened advantages, 0 but for
  // rounding, so the gradient norm is what tells.
  double loss[3], gnorm[3];
  int i = 0;
  for (const char* sets : {"token-mean 1", "token-mean 4", "micro-token-mean 4"}) {
    std::string agg(sets, std::strchr(sets, ' ')), accum(std::strchr(sets, ' ') + 1);
    auto c = config("tokmean" + std::to_string(i),
                    {"train.train_batch=16", "train.steps=1", "train.loss_agg=" + agg, "train.grad_accum=" + accum});
    rlvr::Store s(db_path(c.name));
    auto r = rlvr::train_run(c, s, hooks(c), false);
    ASSERT_EQ(r.status, rlvr::RunStatus::finished);
    loss[i] = s.metric_curve(r.run, "loss").at(0).value.value();
    gnorm[i] = s.metric_curve(r.run, "grad_norm").at(0).value.value();
    ++i;
  }
  EXPECT_GT(gnorm[0], 0.0);
  EXPECT_NEAR(loss[1], loss[0], 1e-6);
  EXPECT_NEAR(gnorm[1], gnorm[0], 1e-5 * gnorm[0]);
  // the mean of the micro-batches' token means weighs a token by its micro-batch's length
  EXPECT_GT(std::abs(gnorm[2] - gnorm[0]), 1e-3 * gnorm[0]);
}

TEST(Trainer, NonFiniteLossFailsTheRunAtItsStep) {
  auto c = config("nan", {"train.lr=1e30", "train.grad_clip=0"});
  rlvr::Store s(db_path("nan"));
  auto r = rlvr::train_run(c, s, hooks(c), false);
  ASSERT_EQ(r.status, rlvr::RunStatus::failed);
  auto row = s.run_get(r.run);
  EXPECT_EQ(row->status, rlvr::RunStatus::failed);
  ASSERT_TRUE(row->fail_step.has_value());
  EXPECT_GE(*row->fail_step, 1);
  EXPECT_NE(row->fail_reason->find("is"), std::string::npos);  // "loss is nan" / "gradient norm is inf"
}

}  // namespace
