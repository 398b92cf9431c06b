// sampler_test.cpp: Philox known answers, sampling rules, reproducibility, and log-prob agreement
// between the sampler (KV cache) and teacher forcing (full forward).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <tuple>

#include "models/logprobs.h"
#include "models/model_test_util.h"
#include "models/philox.h"
#include "models/sampler.h"
#include "util/error.h"

namespace rlvr {
namespace {

TEST(Philox, KnownAnswers) {
  // Random123's kat_vectors for philox4x32_10.
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (std::array<uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}),
            (std::array<uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (std::array<uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Philox, UniformIsInRangeAndSpread) {
  double sum = 0;
  for (uint32_t t = 0; t < 10000; ++t) {
    double u = philox_uniform(42, prompt_id_hash("p"), 3, t);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.01);
  EXPECT_NE(philox_uniform(1, 2, 3, 4), philox_uniform(1, 2, 4, 4));
  EXPECT_NE(prompt_id_hash("a"), prompt_id_hash("b"));
}

TEST(SampleStep, InverseCdfTopKTopP) {
  auto logits = torch::log(torch::tensor({0.1f, 0.2f, 0.7f})).view({1, 3}).repeat({3, 1});
  auto u = torch::tensor({0.05, 0.15, 0.5}, torch::kFloat64);
  SamplingParams p;
  auto [t, lp] = sample_step(logits, u, p);
  EXPECT_EQ(t[0].item<int64_t>(), 0);
  EXPECT_EQ(t[1].item<int64_t>(), 1);
  EXPECT_EQ(t[2].item<int64_t>(), 2);
  EXPECT_NEAR(lp[1].item<float>(), std::log(0.2), 1e-6);
  // top-k 2 renormalises {0.2, 0.7}: cut at 0.2/0.9 = 0.222.
  p.top_k = 2;
  auto [t2, lp2] = sample_step(logits, torch::tensor({0.0, 0.2, 0.23}, torch::kFloat64), p);
  EXPECT_EQ(t2[0].item<int64_t>(), 1);
  EXPECT_EQ(t2[1].item<int64_t>(), 1);
  EXPECT_EQ(t2[2].item<int64_t>(), 2);
  EXPECT_NEAR(lp2[0].item<float>(), std::log(0.2), 1e-6);  // log-probs stay temperature-1, unfiltered
  // top-p 0.7: token 2 alone reaches it; 0.75: tokens 2 and 1.
  p.top_k = 0;
  p.top_p = 0.7;
  auto [t3, lp3] = sample_step(logits, torch::tensor({0.0, 0.5, 0.999}, torch::kFloat64), p);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t3[i].item<int64_t>(), 2);
  p.top_p = 0.75;
  auto [t4, lp4] = sample_step(logits, torch::tensor({0.0, 0.2, 0.3}, torch::kFloat64), p);
  EXPECT_EQ(t4[0].item<int64_t>(), 1);
  EXPECT_EQ(t4[1].item<int64_t>(), 1);
  EXPECT_EQ(t4[2].item<int64_t>(), 2);
  // Temperature sharpens: at T=0.5 probs are proportional to p^2 = {0.01, 0.04, 0.49}.
  p.top_p = 1;
  p.temperature = 0.5;
  auto [t5, lp5] = sample_step(logits, torch::tensor({0.0185, 0.0195, 0.1}, torch::kFloat64), p);
  EXPECT_EQ(t5[0].item<int64_t>(), 0);
  EXPECT_EQ(t5[1].item<int64_t>(), 1);
  EXPECT_EQ(t5[2].item<int64_t>(), 2);
  p.temperature = 0;
  auto [t6, lp6] = sample_step(logits, u, p);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t6[i].item<int64_t>(), 2);
}

// sample_step's tokens and log-probs equal ATen's cumsum, searchsorted and gather (the loop that
// replaces them on the CPU), with temperature, top-k and top-p, over rows with zero-probability
// tokens and uniforms at the edges.
TEST(SampleStep, LoopEqualsCumsumSearchsorted) {
  torch::manual_seed(3);
  const int64_t B = 37, V = 520;
  auto logits = torch::randn({B, V}) * 3;
  logits.narrow(1, 100, 50).fill_(-std::numeric_limits<float>::infinity());  // zero-probability tokens
  auto u = torch::rand({B}, torch::kFloat64);
  u[0] = 0.0;
  u[1] = std::nextafter(1.0, 0.0);
  for (auto [temp, top_k, top_p] : {std::tuple{1.0, int64_t{0}, 1.0}, {0.7, 0, 1.0}, {1.0, 40, 1.0}, {1.0, 0, 0.9}, {1.3, 25, 0.8}}) {
    SamplingParams p;
    p.temperature = temp;
    p.top_k = top_k;
    p.top_p = top_p;
    auto [tok, lp] = sample_step(logits, u, p);
    // The reference: sample_step's probabilities, then ATen's inverse CDF and gather.
    auto logp = torch::log_softmax(logits, -1);
    auto s = logits / temp;
    if (top_k > 0) s = s.masked_fill(s < std::get<0>(s.topk(top_k, -1)).narrow(-1, top_k - 1, 1), -INFINITY);
    if (top_p < 1) {
      auto [sorted, idx] = s.sort(-1, true);
      auto pr = torch::softmax(sorted, -1);
      sorted = sorted.masked_fill(pr.cumsum(-1) - pr >= top_p, -INFINITY);
      s = torch::empty_like(s).scatter_(-1, idx, sorted);
    }
    auto probs = (temp == 1.0 && top_k == 0 && top_p == 1.0) ? logp.exp() : torch::softmax(s, -1);
    auto cdf = probs.to(torch::kFloat64).cumsum(-1);
    auto want = torch::searchsorted(cdf, u.view({B, 1}) * cdf.narrow(-1, V - 1, 1), false, true).view({B}).clamp_max(V - 1);
    EXPECT_TRUE(torch::equal(tok, want)) << temp << " " << top_k << " " << top_p;
    EXPECT_TRUE(torch::equal(lp, logp.gather(-1, want.view({B, 1})).view({B})));
  }
}

std::vector<SamplePrompt> prompts3() {
  return {{"q-a", {1, 2, 3, 4, 5}}, {"q-b", {9, 8}}, {"q-c", {30, 31, 32, 33, 34, 35, 36, 37}}};
}

SamplingParams params(uint64_t seed) {
  SamplingParams p;
  p.n = 4;
  p.max_new_tokens = 12;
  p.seed = seed;
  p.eos_ids = {60};
  return p;
}

class SamplerFamily : public ::testing::TestWithParam<Family> {};

TEST_P(SamplerFamily, DeterministicAndReproducibleAlone) {
  Model m = test::tiny_model(GetParam(), 21);
  auto a = sample(m, prompts3(), params(5));
  auto b = sample(m, prompts3(), params(5));
  ASSERT_EQ(a.size(), 12u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].ids, b[i].ids);
    EXPECT_EQ(a[i].logprobs, b[i].logprobs);
  }
  // Samples of one prompt differ from each other, and another seed changes them.
  EXPECT_NE(a[0].ids, a[1].ids);
  auto c = sample(m, prompts3(), params(6));
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i].ids == c[i].ids;
  EXPECT_LT(same, 3);
  // Prompt q-c alone, n=4, in batches of 1: the same samples as inside the 12-row batch.
  auto p = params(5);
  p.max_batch = 1;
  auto alone = sample(m, {prompts3()[2]}, p);
  for (int s = 0; s < 4; ++s) {
    EXPECT_EQ(alone[s].ids, a[8 + s].ids) << s;
    for (size_t t = 0; t < alone[s].logprobs.size(); ++t) EXPECT_NEAR(alone[s].logprobs[t], a[8 + s].logprobs[t], 1e-5);
  }
}

TEST_P(SamplerFamily, TeacherForcedLogprobsEqualSamplerLogprobs) {
  Model m = test::tiny_model(GetParam(), 22);
  auto p = params(9);
  p.max_new_tokens = 20;
  auto out = sample(m, prompts3(), p);
  std::vector<std::vector<int32_t>> pr, rs;
  for (auto& s : out) {
    pr.push_back(prompts3()[s.prompt_index].ids);
    rs.push_back(s.ids);
  }
  auto tf = response_logprobs_vec(m, pr, rs);
  double worst = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(tf[i].size(), out[i].logprobs.size());
    for (size_t t = 0; t < tf[i].size(); ++t) worst = std::max(worst, (double)std::abs(tf[i][t] - out[i].logprobs[t]));
  }
  EXPECT_LE(worst, 1e-5);
  // The differentiable form gives the same numbers and carries gradients to the weights.
  Model g = m;
  for (auto& t : g.parameters()) t.requires_grad_(true);
  auto r = response_logprobs(g, {pr[0]}, {rs[0]});
  ASSERT_TRUE(r.logprobs.requires_grad());
  r.logprobs.sum().backward();
  EXPECT_GT(g.w.qkv_w.grad().abs().sum().item<float>(), 0);
}

TEST_P(SamplerFamily, GreedyFollowsFullForwardArgmax) {
  torch::NoGradGuard ng;
  Model m = test::tiny_model(GetParam(), 23);
  SamplingParams p;
  p.temperature = 0;
  p.max_new_tokens = 10;
  p.eos_ids = {60};
  auto out = sample(m, {{"x", {4, 5, 6}}}, p);
  std::vector<int32_t> ctx = {4, 5, 6};
  for (size_t t = 0; t < out[0].ids.size(); ++t) {
    auto logits = model_forward(m, batch_left_padded({ctx}))[0][-1];
    EXPECT_EQ(out[0].ids[t], logits.argmax().item<int64_t>()) << t;
    ctx.push_back(out[0].ids[t]);
  }
  // top-k 1 is greedy whatever the seed.
  p.temperature = 1;
  p.top_k = 1;
  p.seed = 99;
  EXPECT_EQ(sample(m, {{"x", {4, 5, 6}}}, p)[0].ids, out[0].ids);
}

INSTANTIATE_TEST_SUITE_P(Families, SamplerFamily, ::testing::ValuesIn(test::kFamilies),
                         [](const auto& info) { return std::string(family_model_type(info.param)); });

TEST(Sampler, FinishReasonsEosStopLength) {
  Model m = test::tiny_model(Family::qwen2, 24);
  auto decode = [](std::span<const int32_t> ids) {
    std::string s;
    for (int32_t i : ids) s.push_back(static_cast<char>('a' + i % 26));
    return s;
  };
  SamplingParams p;
  p.n = 8;
  p.max_new_tokens = 15;
  p.seed = 3;
  p.eos_ids = {60};
  auto free_run = sample(m, {{"p", {1, 2, 3}}}, p, decode);
  // Make the 4th generated token of sample 0 an EOS, and its 2nd..3rd tokens a stop string.
  auto& s0 = free_run[0];
  ASSERT_EQ(s0.ids.size(), 15u);
  EXPECT_EQ(s0.finish, FinishReason::length);
  EXPECT_EQ(s0.text, decode(s0.ids));
  p.eos_ids = {s0.ids[3]};
  auto e = sample(m, {{"p", {1, 2, 3}}}, p, decode);
  EXPECT_EQ(e[0].finish, FinishReason::eos);
  size_t first = std::find(s0.ids.begin(), s0.ids.end(), s0.ids[3]) - s0.ids.begin();
  EXPECT_EQ(e[0].ids, std::vector<int32_t>(s0.ids.begin(), s0.ids.begin() + first + 1));
  EXPECT_EQ(e[0].text, decode(std::span<const int32_t>(s0.ids.data(), first)));  // EOS not in the text
  p.eos_ids = {60};
  std::string stop = decode(std::span<const int32_t>(s0.ids.data() + 1, 2));
  p.stop = {stop};
  auto st = sample(m, {{"p", {1, 2, 3}}}, p, decode);
  EXPECT_EQ(st[0].finish, FinishReason::stop);
  std::string full = decode(st[0].ids);
  EXPECT_EQ(full.size(), full.find(stop) + stop.size());  // ends as soon as the stop string is complete
  EXPECT_EQ(st[0].text, full.substr(0, full.find(stop)));
  // Rows that stop early leave the others untouched (compaction of the batch).
  for (int i = 1; i < 8; ++i) {
    size_t n = std::min(st[i].ids.size(), free_run[i].ids.size());
    EXPECT_EQ(std::vector<int32_t>(st[i].ids.begin(), st[i].ids.begin() + n),
              std::vector<int32_t>(free_run[i].ids.begin(), free_run[i].ids.begin() + n));
  }
}

TEST(Sampler, BadParamsAreInputErrors) {
  Model m = test::tiny_model(Family::llama, 25);
  SamplingParams p;
  p.temperature = -1;
  EXPECT_THROW(sample(m, {{"p", {1}}}, p), InputError);
  p = {};
  p.top_p = 0;
  EXPECT_THROW(sample(m, {{"p", {1}}}, p), InputError);
  p = {};
  EXPECT_THROW(sample(m, {{"p", {}}}, p), InputError);
  EXPECT_THROW(sample(m, {{"p", {61}}}, p), InputError);
}

}  // namespace
}  // namespace rlvr
