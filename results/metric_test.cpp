// The metric registry's invariants (results/metric.h): one row per Metric, unique names, the
// timing flag the same as the naming convention shell tests glob on (*_seconds, *_per_s), gain
// claims only on per-evaluation metrics, markers only on step metrics.
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

}  // namespace
}  // namespace rlvr
