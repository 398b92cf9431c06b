// The seed-permutation test of statistic v3 (golden/permutation.h); the worked example of
// golden/README.md ("Verdict (v3)") is PermutationTest.ReadmeWorkedExample.
#include "golden/permutation.h"

#include <cmath>

#include <gtest/gtest.h>

namespace rlvr::stats {
namespace {

// 19 golden seeds of one claim, 0.10, 0.11, ..., 0.28, then the judged seed.
std::vector<std::vector<double>> ladder(double judged) {
  std::vector<double> row;
  for (int i = 0; i < 19; ++i) row.push_back(0.10 + 0.01 * i);
  row.push_back(judged);
  return {row};
}

TEST(PermutationTest, ReadmeWorkedExample) {
  // A judged seed below every golden seed is the most extreme of 20: p = 1/20 = alpha: REGRESSION.
  MaxPermutation low = max_permutation_test(ladder(0.05), {}, {19});
  ASSERT_EQ(low.d.size(), 1u);
  EXPECT_NEAR(low.d[0], -2.488, 0.001);
  EXPECT_DOUBLE_EQ(low.p[0], 1.0 / 20);
  EXPECT_TRUE(low.exhaustive);
  EXPECT_EQ(low.subsets, 20);
  EXPECT_DOUBLE_EQ(low.level(0.05), 0.05);
  // Inside the golden's range: seeds 0.10, 0.11 and 0.26-0.28 are as extreme; p = 6/20 -> PASS.
  MaxPermutation mid = max_permutation_test(ladder(0.12), {}, {19});
  EXPECT_NEAR(mid.d[0], -1.244, 0.001);
  EXPECT_DOUBLE_EQ(mid.p[0], 6.0 / 20);
  // The one-seed MDE of the 19 golden seeds: the largest leave-one-out |d|, in units of their sd.
  std::vector<double> seeds = ladder(0).front();
  seeds.pop_back();
  std::vector<std::vector<double>> golden = {seeds};
  EXPECT_NEAR(max_permutation_crit(golden, {}, 1, 0.05), 1.780, 0.001);
}

TEST(PermutationTest, TheMaximumOverClaimsCalibratesEveryClaim) {
  // Claim 0: the judged unit is far out; claim 1: it is ordinary. Claim 1's p counts the
  // relabelings whose max over both claims reaches its small |d|: nearly all.
  std::vector<std::vector<double>> x = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50}, {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 4}};
  MaxPermutation r = max_permutation_test(x, {}, {10});
  EXPECT_GT(r.d[0], 2.5);
  EXPECT_DOUBLE_EQ(r.p[0], 1.0 / 11);
  EXPECT_GT(r.p[1], 0.9);
  EXPECT_DOUBLE_EQ(r.level(0.05), 0.0);  // 11 units: one seed can never be flagged at 5%
}

TEST(PermutationTest, WithinRunNoiseFloorsTheRestsSpread) {
  // Claim A: golden seed 0 alone moves it (0.005 where the other 24 and the judged seed read
  // exactly 0): against a rest of zeros it reads |d| = inf, and the judged seed, far out on claim
  // B, can never be more extreme. With each seed's within-run noise on A (0.005 where it moved),
  // the floor is 0.005 / sqrt(26) and seed 0 reads about 5: the judged seed is caught.
  std::vector<double> a(26, 0.0), se_a(26, 0.0), b;
  a[0] = 0.005, se_a[0] = 0.005;
  for (int u = 0; u < 25; ++u) b.push_back(std::sin(u * 2.3));
  b.push_back(40.0);
  MaxPermutation bare = max_permutation_test({a, b}, {}, {25});
  EXPECT_DOUBLE_EQ(bare.p[1], 2.0 / 26);
  MaxPermutation floored = max_permutation_test({a, b}, {se_a, std::vector<double>(26, 0.0)}, {25});
  EXPECT_DOUBLE_EQ(floored.p[1], 1.0 / 26);
  EXPECT_DOUBLE_EQ(floored.d[1], bare.d[1]);  // B has spread of its own: the floor does not bind
}

TEST(PermutationTest, AClaimNoSeedMovesNeverFires) {
  std::vector<std::vector<double>> x = {{1, 1, 1, 1, 1, 1}};
  MaxPermutation r = max_permutation_test(x, {}, {5});
  EXPECT_EQ(r.d[0], 0.0);
  EXPECT_DOUBLE_EQ(r.p[0], 1.0);
}

TEST(PermutationTest, ManySubsetsAreDrawnDeterministically) {
  std::vector<double> row;
  for (int i = 0; i < 40; ++i) row.push_back(std::sin(i * 1.7) + (i >= 35 ? 3.0 : 0.0));
  std::vector<std::vector<double>> x = {row};
  MaxPermutation a = max_permutation_test(x, {}, {35, 36, 37, 38, 39});
  MaxPermutation b = max_permutation_test(x, {}, {39, 38, 37, 36, 35});
  EXPECT_FALSE(a.exhaustive);  // C(40, 5) = 658,008 > kPermutationSubsets
  EXPECT_EQ(a.subsets, kPermutationSubsets + 1);
  EXPECT_EQ(a.p, b.p);
  EXPECT_EQ(a.d, b.d);
  // Shifted by 3 sd: only draws of (nearly) the same five units reach it.
  EXPECT_LE(a.p[0], 5.0 / static_cast<double>(a.subsets));
  EXPECT_DOUBLE_EQ(a.level(0.05), 0.05);
}

TEST(PermutationTest, TooFewSeedsHaveNoCriticalValue) {
  std::vector<std::vector<double>> x = {{0.1, 0.3, 0.2, 0.5, 0.4, 0.6, 0.9, 0.8, 0.7, 0.0}};
  EXPECT_TRUE(std::isinf(max_permutation_crit(x, {}, 1, 0.05)));  // rank ceil(0.95 * 11) = 11 > 10
  EXPECT_TRUE(std::isfinite(max_permutation_crit(x, {}, 3, 0.05)));  // 120 subsets
}

TEST(PermutationTest, BadUnitsAreRefused) {
  std::vector<std::vector<double>> x = {{1, 2, 3}};
  EXPECT_THROW(max_permutation_test(x, {}, {}), std::invalid_argument);
  EXPECT_THROW(max_permutation_test(x, {}, {0, 1, 2}), std::invalid_argument);
  EXPECT_THROW(max_permutation_test(x, {}, {3}), std::invalid_argument);
  EXPECT_THROW(max_permutation_test({{1, 2, 3}, {1, 2}}, {}, {0}), std::invalid_argument);
}

TEST(PermutationTest, ClopperPearsonUpperBound) {
  EXPECT_NEAR(binomial_upper_bound(0, 60, 0.95), 1 - std::pow(0.05, 1.0 / 60), 1e-9);  // 4.87%
  EXPECT_NEAR(binomial_upper_bound(0, 10, 0.95), 0.2589, 1e-4);
  EXPECT_NEAR(binomial_upper_bound(2, 60, 0.95), 0.1007, 1e-3);
  EXPECT_EQ(binomial_upper_bound(5, 5, 0.95), 1.0);
}

}  // namespace
}  // namespace rlvr::stats
