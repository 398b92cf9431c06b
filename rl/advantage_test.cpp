#include "rl/advantage.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

TEST(Advantage, GroupNormThenTokenWeightedWhitening) {
  // 2 prompts x 3 samples, hand-computed below.
  std::vector<double> r = {1, 0, 0, 1, 1, 0};
  std::vector<int64_t> len = {2, 1, 1, 3, 1, 2};
  rlvr::AdvantageOptions no_whiten;
  no_whiten.batch_whiten = false;
  auto a = rlvr::advantage_grpo(r, 3, len, no_whiten);
  // group 0: mean 1/3, unbiased std sqrt(((2/3)^2 + 2 (1/3)^2) / 2) = sqrt(1/3)
  double sd = std::sqrt(1.0 / 3.0);
  EXPECT_NEAR(a[0], (2.0 / 3.0) / (sd + 1e-9), 1e-12);
  EXPECT_NEAR(a[1], (-1.0 / 3.0) / (sd + 1e-9), 1e-12);
  EXPECT_NEAR(a[3], (1.0 / 3.0) / (sd + 1e-9), 1e-12);
  EXPECT_NEAR(a[5], (-2.0 / 3.0) / (sd + 1e-9), 1e-12);

  auto w = rlvr::advantage_grpo(r, 3, len, rlvr::AdvantageOptions{});
  double wsum = 0, mean = 0, var = 0;
  for (size_t i = 0; i < a.size(); ++i) { wsum += len[i]; mean += len[i] * a[i]; }
  mean /= wsum;
  for (size_t i = 0; i < a.size(); ++i) var += len[i] * (a[i] - mean) * (a[i] - mean);
  var /= wsum;
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(w[i], (a[i] - mean) / std::sqrt(var), 1e-12) << i;
}

TEST(Advantage, EqualRewardsGiveZeroEverywhere) {
  for (double v : {0.0, 1.0, 0.5}) {
    auto a = rlvr::advantage_grpo(std::vector<double>(8, v), 4, {}, rlvr::AdvantageOptions{});
    for (double x : a) EXPECT_EQ(x, 0.0);
  }
}

TEST(Advantage, MeanCenteringOnlyWithoutStd) {
  rlvr::AdvantageOptions o;
  o.std_normalize = false;
  o.batch_whiten = false;
  auto a = rlvr::advantage_grpo({1, 0, 0, 0}, 4, {}, o);
  EXPECT_DOUBLE_EQ(a[0], 0.75);
  EXPECT_DOUBLE_EQ(a[1], -0.25);
}

TEST(Advantage, BadGroupSizeIsAnInputError) {
  EXPECT_ANY_THROW(rlvr::advantage_grpo({1, 0, 1}, 2, {}, rlvr::AdvantageOptions{}));
}

}  // namespace

TEST(Advantage, WithoutGroupMeanTheRawRewardIsOnlyWhitened) {
  // group_mean = false (the no-group-norm mutant): an all-correct group is no longer zero.
  rlvr::AdvantageOptions o;
  o.group_mean = false;
  o.std_normalize = false;
  auto a = rlvr::advantage_grpo({1, 1, 0, 1}, 2, {}, o);
  // Whitened over the batch: mean 0.75, biased sd sqrt(0.1875).
  const double sd = std::sqrt(0.1875);
  EXPECT_NEAR(a[0], 0.25 / sd, 1e-12);
  EXPECT_NEAR(a[1], 0.25 / sd, 1e-12);  // with the group baseline this group would be exactly 0
  EXPECT_NEAR(a[2], -0.75 / sd, 1e-12);
}
