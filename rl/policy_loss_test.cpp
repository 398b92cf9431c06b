// policy_loss_test.cpp: the loss, clip fractions and KL on a fixed tiny batch against values
// computed here independently with scalar double arithmetic.
#include "rl/policy_loss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <torch/torch.h>

namespace {

struct Batch {
  std::vector<std::vector<double>> logp, old, mask;
  std::vector<double> adv;
};

Batch tiny() {
  return Batch{{{-1.0, -0.5, -2.0}, {-0.2, -3.0, -1.0}, {-0.7, -0.1, -0.4}},
               {{-1.3, -0.4, -2.0}, {-0.9, -2.5, -1.0}, {-0.7, -0.6, -0.1}},
               {{1, 1, 1}, {1, 1, 0}, {1, 0, 0}},
               {1.0, -0.5, 2.0}};
}

at::Tensor T(const std::vector<std::vector<double>>& v) {
  auto t = torch::zeros({static_cast<long>(v.size()), static_cast<long>(v[0].size())}, torch::kFloat64);
  for (size_t i = 0; i < v.size(); ++i)
    for (size_t j = 0; j < v[i].size(); ++j) t[static_cast<long>(i)][static_cast<long>(j)] = v[i][j];
  return t;
}

// Scalar reference of the per-token PPO-clip loss.
double token_loss(double lp, double old, double a, bool clip, double lo, double hi) {
  double r = std::exp(lp - old);
  double s1 = r * a, s2 = std::clamp(r, 1 - lo, 1 + hi) * a;
  return clip ? -std::min(s1, s2) : -s1;
}

double reference(const Batch& b, rlvr::LossAgg agg, bool clip, double maxlen) {
  double total = 0, ntok = 0, seqsum = 0;
  for (size_t i = 0; i < b.logp.size(); ++i) {
    double s = 0, n = 0;
    for (size_t j = 0; j < b.logp[i].size(); ++j)
      if (b.mask[i][j] > 0) { s += token_loss(b.logp[i][j], b.old[i][j], b.adv[i], clip, 0.2, 0.2); n += 1; }
    total += s;
    ntok += n;
    seqsum += agg == rlvr::LossAgg::seq_mean_token_mean ? s / n : s / maxlen;
  }
  return agg == rlvr::LossAgg::token_mean ? total / ntok : seqsum / static_cast<double>(b.logp.size());
}

TEST(PolicyLoss, MatchesScalarReferenceForEveryAggregation) {
  Batch b = tiny();
  auto adv = torch::tensor(b.adv, torch::kFloat64);
  for (auto agg : {rlvr::LossAgg::token_mean, rlvr::LossAgg::seq_mean_token_mean, rlvr::LossAgg::seq_mean_token_sum_norm})
    for (bool clip : {true, false}) {
      rlvr::PolicyLossOptions o;
      o.agg = agg;
      o.clip = clip;
      o.max_response_len = 4;
      auto out = rlvr::policy_loss(T(b.logp), T(b.old), adv, T(b.mask), o);
      EXPECT_NEAR(out.loss.item<double>(), reference(b, agg, clip, 4), 1e-12) << rlvr::loss_agg_name(agg) << " clip " << clip;
    }
}

// train.unclipped = pi, the scripts' PolicyLossWoOldLogProbs: -exp(logp) * A per token (no old
// policy in it), aggregated like any loss; its gradient is pi * A per token (d/dlogp of -pi A).
TEST(PolicyLoss, UnclippedPiFormIsTheScriptsLoss) {
  Batch b = tiny();
  rlvr::PolicyLossOptions o;
  o.clip = false;
  o.unclipped = rlvr::UnclippedForm::pi;
  o.agg = rlvr::LossAgg::token_mean;
  at::Tensor logp = T(b.logp).requires_grad_(true);
  auto out = rlvr::policy_loss(logp, T(b.old), torch::tensor(b.adv, torch::kFloat64), T(b.mask), o);
  double sum = 0, n = 0;
  for (size_t i = 0; i < b.logp.size(); ++i)
    for (size_t j = 0; j < b.logp[i].size(); ++j)
      if (b.mask[i][j] > 0) sum += -std::exp(b.logp[i][j]) * b.adv[i], n += 1;
  EXPECT_NEAR(out.loss.item<double>(), sum / n, 1e-12);
  out.loss.backward();
  EXPECT_NEAR(logp.grad()[0][1].item<double>(), -std::exp(-0.5) * 1.0 / n, 1e-12);
  EXPECT_EQ(logp.grad()[2][1].item<double>(), 0.0) << "masked token";
  // The default form is the ratio one (old log-probs matter); with clip on, the form is unused.
  o.unclipped = rlvr::UnclippedForm::ratio;
  auto r = rlvr::policy_loss(T(b.logp), T(b.old), torch::tensor(b.adv, torch::kFloat64), T(b.mask), o);
  EXPECT_GT(std::fabs(r.loss.item<double>() - out.loss.item<double>()), 1e-3);
}

TEST(PolicyLoss, ClipFractionsCountOnlyActiveClipping) {
  Batch b = tiny();
  rlvr::PolicyLossOptions o;
  auto out = rlvr::policy_loss(T(b.logp), T(b.old), torch::tensor(b.adv, torch::kFloat64), T(b.mask), o);
  // Count by hand: valid tokens 6. ratio > 1.2 with A > 0: row 0 token 0 (e^0.3 = 1.35);
  // row 2 token 0 has ratio 1. ratio < 0.8 with A < 0: row 1 token 1 (e^-0.5 = 0.61).
  // row 1 token 0 has ratio e^0.7 > 1.2 but A < 0: not clipped (the min picks the unclipped term).
  EXPECT_NEAR(out.clip_frac_high, 1.0 / 6.0, 1e-12);
  EXPECT_NEAR(out.clip_frac_low, 1.0 / 6.0, 1e-12);
}

TEST(PolicyLoss, DeliberateBugsForPowerMeasurements) {
  Batch b = tiny();
  auto adv = torch::tensor(b.adv, torch::kFloat64);
  rlvr::PolicyLossOptions o;
  o.agg = rlvr::LossAgg::token_mean;
  // ratio-current: the ratio against the current policy is 1 whatever old_logp says.
  o.bug = rlvr::LossBug::ratio_current;
  auto rc = rlvr::policy_loss(T(b.logp), T(b.old), adv, T(b.mask), o);
  EXPECT_EQ(rc.clip_frac_low + rc.clip_frac_high, 0.0);
  EXPECT_NEAR(rc.approx_kl, 0.0, 1e-15);
  // clip-max: -max instead of -min. Row 0 token 0 (A = 1, ratio e^0.3) now takes the unclipped
  // term, row 1 token 1 (A = -0.5, ratio e^-0.5) the clipped one: the loss differs from the reference.
  o.bug = rlvr::LossBug::clip_max;
  auto cm = rlvr::policy_loss(T(b.logp), T(b.old), adv, T(b.mask), o);
  double want = 0;
  int n = 0;
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 3; ++j) {
      if (b.mask[i][j] == 0) continue;
      double r = std::exp(b.logp[i][j] - b.old[i][j]), a = b.adv[i];
      want += -std::max(r * a, std::clamp(r, 0.8, 1.2) * a);
      ++n;
    }
  EXPECT_NEAR(cm.loss.item<double>(), want / n, 1e-12);
  EXPECT_GT(std::fabs(cm.loss.item<double>() - reference(b, rlvr::LossAgg::token_mean, true, 4)), 1e-3);
  EXPECT_EQ(rlvr::loss_bug_parse("clip-max", "train.bug"), rlvr::LossBug::clip_max);
  EXPECT_ANY_THROW(rlvr::loss_bug_parse("swap", "train.bug"));
}

TEST(PolicyLoss, RatioOneMeansNothingClippedAndGradientIsAdvantage) {
  Batch b = tiny();
  auto lp = T(b.logp).requires_grad_(true);
  rlvr::PolicyLossOptions o;
  o.agg = rlvr::LossAgg::token_mean;
  auto out = rlvr::policy_loss(lp, T(b.logp), torch::tensor(b.adv, torch::kFloat64), T(b.mask), o);
  EXPECT_EQ(out.clip_frac_low, 0.0);
  EXPECT_EQ(out.clip_frac_high, 0.0);
  EXPECT_NEAR(out.approx_kl, 0.0, 1e-15);
  out.loss.backward();
  // d loss / d logp = -A * mask / ntok at ratio 1
  auto g = lp.grad();
  for (long i = 0; i < 3; ++i)
    for (long j = 0; j < 3; ++j)
      EXPECT_NEAR(g[i][j].item<double>(), -b.adv[static_cast<size_t>(i)] * b.mask[static_cast<size_t>(i)][static_cast<size_t>(j)] / 6.0, 1e-12);
}

TEST(PolicyLoss, DualClipBoundsNegativeAdvantageLoss) {
  // ratio e^2 with A = -1: clipped loss is -min(r A, 1.2 A) = r = 7.39; dual clip c = 3 caps it at 3.
  auto lp = torch::tensor({{0.0}}, torch::kFloat64), old = torch::tensor({{-2.0}}, torch::kFloat64);
  rlvr::PolicyLossOptions o;
  o.agg = rlvr::LossAgg::token_mean;
  EXPECT_NEAR(rlvr::policy_loss(lp, old, torch::tensor({-1.0}, torch::kFloat64), torch::ones({1, 1}), o).loss.item<double>(), std::exp(2.0), 1e-12);
  o.dual_clip = 3.0;
  EXPECT_NEAR(rlvr::policy_loss(lp, old, torch::tensor({-1.0}, torch::kFloat64), torch::ones({1, 1}), o).loss.item<double>(), 3.0, 1e-12);
}

TEST(PolicyLoss, KlToReferenceK1AndK3) {
  auto lp = torch::tensor({{-1.0, -2.0}}, torch::kFloat64), ref = torch::tensor({{-1.5, -1.0}}, torch::kFloat64);
  rlvr::PolicyLossOptions o;
  o.agg = rlvr::LossAgg::token_mean;
  o.kl_coef = 0.5;
  auto zero_adv = torch::zeros({1}, torch::kFloat64);
  auto k3 = rlvr::policy_loss(lp, lp, zero_adv, torch::ones({1, 2}), o, ref);
  double d0 = -0.5, d1 = 1.0;  // ref - logp
  double k3_ref = ((std::exp(d0) - d0 - 1) + (std::exp(d1) - d1 - 1)) / 2;
  EXPECT_NEAR(k3.kl_ref, k3_ref, 1e-12);
  EXPECT_NEAR(k3.loss.item<double>(), 0.5 * k3_ref, 1e-12);
  o.kl_estimator = rlvr::KlEstimator::k1;
  auto k1 = rlvr::policy_loss(lp, lp, zero_adv, torch::ones({1, 2}), o, ref);
  EXPECT_NEAR(k1.kl_ref, (-d0 - d1) / 2, 1e-12);
}

TEST(PolicyLoss, UnknownAggregationIsAnInputError) {
  EXPECT_ANY_THROW(rlvr::loss_agg_parse("mean", "run.toml: trainer.loss_agg"));
  EXPECT_EQ(rlvr::loss_agg_parse("seq-mean-token-sum-norm", "x"), rlvr::LossAgg::seq_mean_token_sum_norm);
}

}  // namespace
