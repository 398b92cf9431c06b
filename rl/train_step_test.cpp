// train_step_test.cpp: the first update's old log-probs come from its own forward (step_update)
// instead of a separate no-grad pass (step_minibatches). That is only right if the two give the
// same bits; these tests hold both the premise (a forward with autograd equals one without, every
// family, padded rows, 1 and 2 threads) and the result (the weights and statistics after a step's
// updates equal those of the separate pass, bit for bit).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/logprobs.h"
#include "models/model.h"
#include "rl/train_step.h"

namespace rlvr {
namespace {

ModelConfig config(Family f) {
  ModelConfig c;
  c.family = f;
  c.vocab_size = 97;
  c.hidden_size = 32;
  c.intermediate_size = 40;
  c.num_layers = 2;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = 8;
  c.qkv_bias = f == Family::qwen2;
  c.tie_word_embeddings = f != Family::llama;
  c.rms_norm_eps = f == Family::olmo2 ? 1e-5 : 1e-6;
  c.eos_token_ids = {};
  return c;
}

// Prompts and responses of different lengths (left and right padding in the batch).
// `scale` stretches them (8: the lengths of bench/step_bench's rows, where attention splits its blocks).
void rows(int64_t n, int64_t V, uint64_t seed, std::vector<std::vector<int32_t>>& prompts,
          std::vector<std::vector<int32_t>>& resps, int64_t scale = 1) {
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int32_t> p, r;
    for (int64_t t = 0; t < scale * (5 + (i * 3) % 7); ++t) p.push_back(static_cast<int32_t>((seed * 31 + i * 17 + t * 5) % V));
    for (int64_t t = 0; t < scale * (3 + (i * 5) % 9); ++t) r.push_back(static_cast<int32_t>((seed * 7 + i * 13 + t * 11) % V));
    prompts.push_back(p);
    resps.push_back(r);
  }
}

class TrainStepThreads : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    threads_ = at::get_num_threads();
    at::set_num_threads(GetParam());
  }
  void TearDown() override { at::set_num_threads(threads_); }
  int threads_ = 1;
};

TEST_P(TrainStepThreads, LogprobsWithAutogradEqualWithout) {
  for (Family f : {Family::qwen2, Family::llama, Family::olmo2}) {
    for (int64_t scale : {1, 8}) {
      Model m = model_init(config(f), /*seed=*/3, {.norm_jitter = 0.1});
      std::vector<std::vector<int32_t>> prompts, resps;
      rows(6, m.config.vocab_size, 1, prompts, resps, scale);
      torch::Tensor plain;
      {
        torch::NoGradGuard no_grad;
        plain = response_logprobs(m, prompts, resps).logprobs;
      }
      for (auto& p : m.parameters()) p.requires_grad_(true);
      auto with_grad = response_logprobs(m, prompts, resps).logprobs;
      ASSERT_TRUE(with_grad.requires_grad());
      EXPECT_TRUE(torch::equal(plain, with_grad.detach())) << family_model_type(f) << " x" << scale;
    }
  }
}

// A step's updates over micro-batches whose first-update old log-probs are left to step_update
// (reuse) or computed by a separate no-grad pass, as step_minibatches did before.
struct Stepped {
  std::vector<torch::Tensor> weights;
  UpdateStats stats;
};
Stepped run_updates(bool reuse) {
  Model m = model_init(config(Family::qwen2), /*seed=*/4);
  RunConfig cfg;
  cfg.prompts_per_rollout = 4;
  cfg.samples_per_prompt = 4;
  cfg.train_batch = 8;  // 2 updates
  cfg.grad_accum = 2;   // of 2 micro-batches of 4
  cfg.lr = 1e-2;
  std::vector<MicroBatch> micros(4);
  for (size_t i = 0; i < micros.size(); ++i) {
    MicroBatch& mb = micros[i];
    rows(4, m.config.vocab_size, 10 + i, mb.prompt, mb.resp);
    mb.adv = torch::tensor({1.0f, -0.5f, 0.25f, -0.75f});
    torch::NoGradGuard no_grad;
    if (!reuse || i >= 2) mb.old_logp = response_logprobs(m, mb.prompt, mb.resp).logprobs.detach();
  }
  auto params = m.parameters();
  for (auto& p : params) p.requires_grad_(true);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(cfg.lr));
  int64_t updates = 0;
  Stepped out;
  out.stats = step_update(micros, m, opt, params, cfg, policy_loss_options(cfg), updates);
  for (auto& p : params) out.weights.push_back(p.detach().clone());
  return out;
}

TEST_P(TrainStepThreads, FirstUpdateOldLogprobsFromItsForwardAreBitIdentical) {
  Stepped a = run_updates(false), b = run_updates(true);
  ASSERT_EQ(a.weights.size(), b.weights.size());
  for (size_t i = 0; i < a.weights.size(); ++i) EXPECT_TRUE(torch::equal(a.weights[i], b.weights[i])) << "parameter " << i;
  EXPECT_EQ(a.stats.loss_sum, b.stats.loss_sum);
  EXPECT_EQ(a.stats.gnorm_sum, b.stats.gnorm_sum);
  EXPECT_EQ(a.stats.approx_kl, b.stats.approx_kl);
  EXPECT_EQ(a.stats.clip_lo + a.stats.clip_hi, b.stats.clip_lo + b.stats.clip_hi);
  EXPECT_GT(a.stats.approx_kl, 0.0);  // the second update did move the ratio
}

TEST(TrainStep, MissingOldLogprobsPastTheFirstUpdateIsAnError) {
  Model m = model_init(config(Family::qwen2), /*seed=*/4);
  RunConfig cfg;
  cfg.prompts_per_rollout = 2;
  cfg.samples_per_prompt = 2;
  cfg.train_batch = 2;
  std::vector<MicroBatch> micros(2);
  for (size_t i = 0; i < micros.size(); ++i) {
    rows(2, m.config.vocab_size, 20 + i, micros[i].prompt, micros[i].resp);
    micros[i].adv = torch::tensor({1.0f, -1.0f});
  }
  auto params = m.parameters();
  for (auto& p : params) p.requires_grad_(true);
  torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
  int64_t updates = 0;
  EXPECT_THROW(step_update(micros, m, opt, params, cfg, policy_loss_options(cfg), updates), std::logic_error);
}

INSTANTIATE_TEST_SUITE_P(Threads, TrainStepThreads, ::testing::Values(1, 2));

// The isolation arm by name: each response's count of leading tokens through the first named one,
// 0 for a response that has none (it then carries no policy loss).
TEST(TrainStep, LossThroughLengthsStopAtTheFirstNamedToken) {
  const std::vector<std::vector<int32_t>> resp = {{5, 7, 9, 7}, {1, 2}, {9}, {}};
  const torch::Tensor n = loss_through_lengths(resp, {7, 9});
  ASSERT_EQ(n.scalar_type(), torch::kLong);
  EXPECT_EQ(std::vector<int64_t>(n.data_ptr<int64_t>(), n.data_ptr<int64_t>() + n.numel()), (std::vector<int64_t>{2, 0, 1, 0}));
}

}  // namespace
}  // namespace rlvr

