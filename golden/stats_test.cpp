// stats_test: McNemar, the bootstrap and the t quantiles against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "golden/stats.h"

namespace rlvr::stats {
namespace {

TEST(McNemar, ExactAndMidP) {
  // b = 1, c = 9: n = 10, P(X <= 1) = (1 + 10) / 1024, P(X = 1) = 10 / 1024.
  EXPECT_NEAR(mcnemar_exact_p(1, 9), 22.0 / 1024, 1e-12);
  EXPECT_NEAR(mcnemar_midp(1, 9), 2 * (11.0 - 5.0) / 1024, 1e-12);
  EXPECT_EQ(mcnemar_exact_p(9, 1), mcnemar_exact_p(1, 9));  // two-sided: symmetric
  // b = 0, c = 3: P(X <= 0) = 1/8 -> exact 1/4, mid-p 2 (1/8 - 1/16) = 1/8.
  EXPECT_NEAR(mcnemar_exact_p(0, 3), 0.25, 1e-12);
  EXPECT_NEAR(mcnemar_midp(0, 3), 0.125, 1e-12);
  // b = c = 5: P(X <= 5) = 638/1024 -> exact capped at 1; mid-p 2 (638 - 126)/1024 = 1.
  EXPECT_EQ(mcnemar_exact_p(5, 5), 1.0);
  EXPECT_NEAR(mcnemar_midp(5, 5), 1.0, 1e-12);
  EXPECT_EQ(mcnemar_midp(0, 0), 1.0);
  // Large n stays finite: b = 400, c = 600 is overwhelming evidence.
  double p = mcnemar_midp(400, 600);
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 1e-9);
}

TEST(Bootstrap, SeOfMeanMatchesTheFormulaAndIsDeterministic) {
  // 50 zeros and 50 ones: plug-in sd 0.5, SE of the mean 0.5 / sqrt(100) = 0.05. With 2000
  // resamples the bootstrap SE has a relative error of about 1/sqrt(2 * 2000) = 1.6%.
  std::vector<double> x(100, 0.0);
  for (int i = 0; i < 50; ++i) x[i] = 1.0;
  double se = bootstrap_se_mean(x, 2000, 42);
  EXPECT_NEAR(se, 0.05, 0.05 * 0.06);
  EXPECT_EQ(se, bootstrap_se_mean(x, 2000, 42));   // same seed, same bits
  EXPECT_NE(se, bootstrap_se_mean(x, 2000, 43));
  // Paired differences in {-1, 0, +1}: 30 up, 10 down, 60 ties. Mean 0.2, plug-in variance
  // E[d^2] - 0.2^2 = 0.4 - 0.04 = 0.36, SE 0.6 / 10 = 0.06.
  std::vector<double> d(100, 0.0);
  for (int i = 0; i < 30; ++i) d[i] = 1;
  for (int i = 30; i < 40; ++i) d[i] = -1;
  EXPECT_NEAR(bootstrap_se_mean(d, 2000, 7), 0.06, 0.06 * 0.06);
  EXPECT_EQ(bootstrap_se_mean(std::vector<double>(10, 0.3), 500, 1), 0.0);
  EXPECT_EQ(bootstrap_se_mean({1.0}, 500, 1), 0.0);
}

TEST(Quantiles, StudentT) {
  EXPECT_NEAR(t_crit95(1), 12.7062, 1e-4);
  EXPECT_NEAR(t_crit95(2), 4.3027, 1e-4);
  EXPECT_NEAR(t_crit95(30), 2.0423, 1e-4);
  EXPECT_NEAR(t_crit95(31), 2.0395, 2e-4);
  EXPECT_NEAR(t_crit95(60), 2.0003, 2e-4);
  EXPECT_NEAR(t_crit95(120), 1.9799, 2e-4);
  EXPECT_NEAR(t_crit95(0), 1.959964, 1e-6);
}

TEST(Quantiles, WelchDf) {
  // Equal variances and dfs: (2v)^2 / (2 v^2 / d) = 2d.
  EXPECT_EQ(welch_df(0.01, 10, 0.01, 10), 20);
  // One term only: its own df.
  EXPECT_EQ(welch_df(0.0, 99, 0.04, 2), 2);
  EXPECT_EQ(welch_df(0.04, 99, 0.0, 2), 99);
  // (0.0021 + 0.0004)^2 / (0.0021^2/99 + 0.0004^2/1) = 6.25e-6 / (4.4545e-8 + 1.6e-7) = 30.55 -> 30.
  EXPECT_EQ(welch_df(0.0021, 99, 0.0004, 1), 30);
  EXPECT_EQ(welch_df(0.0, 5, 0.0, 1), 6);
}

TEST(Basics, MeanSdBinomial) {
  EXPECT_NEAR(binomial_se(0.5, 100), 0.05, 1e-12);
  EXPECT_EQ(binomial_se(0.0, 100), 0.0);
  EXPECT_NEAR(mean({0.3, 0.34}), 0.32, 1e-12);
  EXPECT_NEAR(sd({0.3, 0.34}), std::sqrt(0.0008), 1e-12);
  EXPECT_EQ(sd({1.0}), 0.0);
  const double l = std::log(1e-7);
  EXPECT_EQ(sd({l, l, l, l, l, l, l}), 0.0);  // exactly: an exact claim must not turn statistical
  EXPECT_NE(claim_seed("a/b"), claim_seed("a/c"));
  EXPECT_EQ(claim_seed(""), 1469598103934665603ull);
}

TEST(StudentT, TwoSidedPAndCriticalValuesMatchTables) {
  // df = 1 is Cauchy: P(|T| > t) = 1 - 2 atan(t) / pi. df = 2 has p = 1 - t / sqrt(t^2 + 2).
  for (double t : {0.5, 1.0, 3.0, 12.7062})
    EXPECT_NEAR(t_two_sided_p(t, 1), 1 - 2 * std::atan(t) / M_PI, 1e-10) << t;
  for (double t : {0.5, 4.3027, 28.0}) EXPECT_NEAR(t_two_sided_p(t, 2), 1 - t / std::sqrt(t * t + 2), 1e-10) << t;
  // Table values (two-sided 5% and 1%).
  EXPECT_NEAR(t_crit(0.05, 4), 2.7764, 1e-4);
  EXPECT_NEAR(t_crit(0.05, 30), 2.0423, 1e-4);
  EXPECT_NEAR(t_crit(0.01, 10), 3.1693, 1e-4);
  EXPECT_NEAR(t_crit(0.05, 1e9), 1.959964, 1e-5);  // the normal
  EXPECT_NEAR(t_two_sided_p(1.959964, 1e9), 0.05, 1e-6);
  EXPECT_EQ(t_two_sided_p(INFINITY, 3), 0.0);
  EXPECT_TRUE(std::isnan(t_two_sided_p(NAN, 3)));
  // Consistent with the table t_crit95 uses.
  for (int64_t df : {1, 2, 5, 29}) EXPECT_NEAR(t_crit(0.05, static_cast<double>(df)), t_crit95(df), 1e-4) << df;
}

TEST(Holm, StepDownStopsAtTheFirstAcceptance) {
  // m = 4 at alpha 0.05: thresholds 0.0125, 0.0167, 0.025, 0.05 for the sorted p-values.
  auto r = holm_reject({0.01, 0.04, 0.015, 0.3}, 0.05);
  EXPECT_EQ(r, (std::vector<bool>{true, false, true, false}));
  // m = 2: thresholds 0.025 then 0.05.
  EXPECT_EQ(holm_reject({0.026, 0.02}, 0.05), (std::vector<bool>{true, true}));
  EXPECT_EQ(holm_reject({0.03, 0.04}, 0.05), (std::vector<bool>{false, false}));  // each < 0.05, but the first > 0.025
  // NaN never rejected and not counted: m = 1.
  EXPECT_EQ(holm_reject({NAN, 0.04}, 0.05), (std::vector<bool>{false, true}));
}

}  // namespace
}  // namespace rlvr::stats
