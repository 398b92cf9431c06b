// The metric registry's invariants (results/metric.h): one row per Metric, unique names, the
// timing flag the same as the naming convention shell tests glob on (*_seconds, *_per_s), gain
// claims only on per-evaluation metrics, markers only on step metrics, each metric's averaging
// consistent with where it is logged (and pinned for the metrics it is easy to misread).
#include "results/metric.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rlvr {
namespace {

bool ends_with(std::string_view s, std::string_view suf) { return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf; }

TEST(MetricRegistry, OneRowPerMetricAndUniqueNames) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < std::size(kMetrics); ++i) {
    EXPECT_EQ(static_cast<size_t>(kMetrics[i].id), i) << kMetrics[i].name << ": rows follow the enum's order";
    EXPECT_TRUE(names.insert(kMetrics[i].name).second) << kMetrics[i].name << " twice";
    EXPECT_EQ(metric_find(kMetrics[i].name), &kMetrics[i]);
    EXPECT_EQ(enum_parse<Metric>(kMetrics[i].name), kMetrics[i].id);
    EXPECT_FALSE(kMetrics[i].what.empty()) << kMetrics[i].name;
  }
  EXPECT_EQ(metric_find("acuracy"), nullptr);
}

TEST(MetricRegistry, TimingFollowsTheNamingConventionTestsGlobOn) {
  for (const auto& m : kMetrics) EXPECT_EQ(m.timing, ends_with(m.name, "_seconds") || ends_with(m.name, "_per_s")) << m.name;
}

TEST(MetricRegistry, ClaimsOnlyWhereTheirStatisticsApply) {
  for (const auto& m : kMetrics) {
    if (m.claim == MetricClaim::gain || m.claim == MetricClaim::probe) EXPECT_TRUE(m.where & kInEval) << m.name;
    if (m.claim == MetricClaim::marker) EXPECT_TRUE(m.where & kInStep) << m.name;
    if (m.log_scale) EXPECT_EQ(m.claim, MetricClaim::marker) << m.name;
    EXPECT_FALSE(m.timing && m.claim != MetricClaim::none) << m.name << ": a timing never makes a claim";
  }
  EXPECT_EQ(metric_list(MetricClaim::gain), "accuracy, code_frequency");
}

TEST(MetricRegistry, AveragingIsNamedAndFitsWhereTheMetricIsLogged) {
  for (const auto& m : kMetrics) {
    EXPECT_NE(enum_name(m.averaged), "?") << m.name << ": an averaging outside the name table";
    EXPECT_EQ(enum_parse<MetricAvg>(enum_name(m.averaged)), m.averaged) << m.name;
    const bool update_side = m.averaged == MetricAvg::micro_token_mean || m.averaged == MetricAvg::update_mean ||
                             m.averaged == MetricAvg::last_update || m.averaged == MetricAvg::token_mean || m.averaged == MetricAvg::rate;
    if (update_side) EXPECT_EQ(m.where, kInStep) << m.name << ": averaged over a step's tokens or updates, so logged per step only";
    if (m.averaged == MetricAvg::problem_mean || m.averaged == MetricAvg::strategy_mean) EXPECT_EQ(m.where, kInEval) << m.name;
    // Gain claims are paired per problem: only a mean over the graded responses pairs that way.
    if (m.claim == MetricClaim::gain) EXPECT_EQ(m.averaged, MetricAvg::response_mean) << m.name;
    if (m.timing) EXPECT_TRUE(m.averaged == MetricAvg::total || m.averaged == MetricAvg::rate) << m.name;
  }
  // Where each is computed (results/eval_means.cpp, eval/probe.cpp, rl/train_step.cpp step_metrics_row).
  EXPECT_EQ(metric_info(Metric::accuracy).averaged, MetricAvg::response_mean);
  EXPECT_EQ(metric_info(Metric::accuracy_code).averaged, MetricAvg::strategy_mean);
  EXPECT_EQ(metric_info(Metric::unsure).averaged, MetricAvg::total);
  EXPECT_EQ(metric_info(Metric::probe_rouge_l).averaged, MetricAvg::problem_mean);
  EXPECT_EQ(metric_info(Metric::entropy).averaged, MetricAvg::token_mean);
  EXPECT_EQ(metric_info(Metric::clip_frac).averaged, MetricAvg::micro_token_mean);
  EXPECT_EQ(metric_info(Metric::approx_kl).averaged, MetricAvg::micro_token_mean);
  EXPECT_EQ(metric_info(Metric::adv_zero_frac).averaged, MetricAvg::response_mean);
  EXPECT_EQ(metric_info(Metric::loss).averaged, MetricAvg::update_mean);
  EXPECT_EQ(metric_info(Metric::grad_norm).averaged, MetricAvg::update_mean);
  EXPECT_EQ(metric_info(Metric::lr).averaged, MetricAvg::last_update);
  EXPECT_EQ(enum_list<MetricAvg>(),
            "response-mean, strategy-mean, problem-mean, token-mean, micro-token-mean, update-mean, last-update, total, rate");
}

}  // namespace
}  // namespace rlvr
