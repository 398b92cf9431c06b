// The views on a small hand-made dataset whose answers are worked out by hand below.
#include <gtest/gtest.h>

#include <cmath>

#include "results/store.h"
#include "results/test_util.h"

namespace rlvr {
namespace {

struct Views : ::testing::Test {
  test::TempDb tmp;
  Store st{tmp.path()};

  int64_t run(const std::string& cell, int64_t seed) { return st.run_begin(test::cell_run_info("quick", cell, seed)); }
  void acc(int64_t r, int64_t step, double a, std::optional<double> code = std::nullopt,
           const std::string& dataset = "synth") {
    std::map<std::string, double> m{{"accuracy", a}, {"boxed_rate", 1.0}};
    if (code) m["code_frequency"] = *code;
    st.eval_write(r, step, dataset, m, {});
  }
  // Runs a query that returns one row and gives its columns as doubles (NaN for NULL).
  std::vector<double> row(const std::string& sql) {
    Stmt s = st.prepare_read(sql);
    EXPECT_TRUE(s.step()) << sql;
    std::vector<double> v;
    for (int c = 0; c < s.column_count(); ++c) v.push_back(s.is_null(c) ? NAN : s.get_double(c));
    EXPECT_FALSE(s.step()) << "more than one row: " << sql;
    return v;
  }
};

TEST_F(Views, FinalMetricsTakesTheLastStepOfEachKey) {
  int64_t r = run("m/gt", 1);
  st.step_metrics_write(r, 0, {{"loss", 3.0}, {"reward_mean", 0.1}});
  st.step_metrics_write(r, 1, {{"loss", 2.0}, {"reward_mean", 0.2}});
  st.step_metrics_write(r, 2, {{"loss", 1.0}});
  int64_t other = run("m/gt", 2);
  st.step_metrics_write(other, 7, {{"loss", 9.0}});
  EXPECT_EQ(row("SELECT step, value FROM final_metrics WHERE run = " + std::to_string(r) + " AND key = 'loss'"),
            (std::vector<double>{2, 1.0}));
  EXPECT_EQ(row("SELECT step, value FROM final_metrics WHERE run = " + std::to_string(r) + " AND key = 'reward_mean'"),
            (std::vector<double>{1, 0.2}));
  EXPECT_EQ(row("SELECT COUNT(*) FROM final_metrics"), (std::vector<double>{3}));
}

TEST_F(Views, CellFinalAccuracyAndGains) {
  // m/gt: three finished seeds, evaluated at 0, 50, 100. Gains 0.20, 0.30, 0.10:
  // mean 0.20, sample std sqrt((0 + 0.01 + 0.01) / 2) = 0.10.
  int64_t s1 = run("m/gt", 1), s2 = run("m/gt", 2), s3 = run("m/gt", 3);
  for (auto [r, a0, a50, a100, code] : {std::tuple{s1, 0.40, 0.50, 0.60, 0.25}, std::tuple{s2, 0.40, 0.65, 0.70, 0.5},
                                        std::tuple{s3, 0.45, 0.50, 0.55, 0.75}}) {
    acc(r, 0, a0, 0.1);
    acc(r, 50, a50, 0.2);
    acc(r, 100, a100, code);
    st.run_finish(r);
  }
  // A fourth seed failed at step 50 with a (meaningless) high accuracy: in cell_gain with its
  // status, left out of the seed aggregate.
  int64_t bad = run("m/gt", 4);
  acc(bad, 0, 0.40);
  acc(bad, 50, 0.90);
  st.run_fail(bad, 60, "loss is NaN");
  // m/random: one seed, no code frequency at the last eval, and a second dataset.
  int64_t rnd = run("m/random", 1);
  acc(rnd, 0, 0.40, 0.1);
  acc(rnd, 20, 0.48);
  acc(rnd, 0, 0.30, std::nullopt, "math500");
  acc(rnd, 20, 0.25, std::nullopt, "math500");
  st.run_finish(rnd);
  // Never evaluated at step 0: no gain can be computed.
  int64_t no0 = run("m/format", 1);
  acc(no0, 10, 0.5);
  st.run_finish(no0);

  auto id = [](int64_t r) { return std::to_string(r); };
  EXPECT_EQ(row("SELECT seed, step, accuracy, code_frequency FROM cell_final_accuracy WHERE run = " + id(s2)),
            (std::vector<double>{2, 100, 0.70, 0.5}));
  auto rf = row("SELECT step, accuracy, code_frequency FROM cell_final_accuracy WHERE run = " + id(rnd) +
                " AND dataset = 'synth'");
  EXPECT_EQ(rf[0], 20);
  EXPECT_EQ(rf[1], 0.48);
  EXPECT_TRUE(std::isnan(rf[2]));  // not logged at the final step: NULL, not the step-0 value
  EXPECT_EQ(row("SELECT COUNT(*) FROM cell_final_accuracy"), (std::vector<double>{7}));

  auto g1 = row("SELECT accuracy_step0, final_step, final_accuracy, gain FROM cell_gain WHERE run = " + id(s1));
  EXPECT_EQ(g1[0], 0.40);
  EXPECT_EQ(g1[1], 100);
  EXPECT_EQ(g1[2], 0.60);
  EXPECT_NEAR(g1[3], 0.20, 1e-12);
  EXPECT_NEAR(row("SELECT gain FROM cell_gain WHERE run = " + id(bad))[0], 0.50, 1e-12);
  EXPECT_NEAR(row("SELECT gain FROM cell_gain WHERE run = " + id(rnd) + " AND dataset = 'math500'")[0], -0.05, 1e-12);
  EXPECT_EQ(row("SELECT COUNT(*) FROM cell_gain WHERE run = " + id(no0)), (std::vector<double>{0}));

  auto agg = row("SELECT n_seeds, final_step, mean_accuracy_step0, mean_final_accuracy, mean_gain, std_gain"
                 " FROM cell_gain_seeds WHERE cell = 'm/gt' AND dataset = 'synth'");
  ASSERT_EQ(agg.size(), 6u);
  EXPECT_EQ(agg[0], 3);
  EXPECT_EQ(agg[1], 100);
  EXPECT_NEAR(agg[2], (0.40 + 0.40 + 0.45) / 3, 1e-12);
  EXPECT_NEAR(agg[3], (0.60 + 0.70 + 0.55) / 3, 1e-12);
  EXPECT_NEAR(agg[4], 0.20, 1e-12);
  EXPECT_NEAR(agg[5], 0.10, 1e-9);
  auto one = row("SELECT n_seeds, mean_gain, std_gain FROM cell_gain_seeds WHERE cell = 'm/random' AND dataset = 'synth'");
  EXPECT_EQ(one[0], 1);
  EXPECT_NEAR(one[1], 0.08, 1e-12);
  EXPECT_TRUE(std::isnan(one[2]));  // one seed: no spread
  EXPECT_EQ(row("SELECT COUNT(*) FROM cell_gain_seeds"), (std::vector<double>{3}));  // m/gt, m/random x 2 datasets
}

}  // namespace
}  // namespace rlvr
