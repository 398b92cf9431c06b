// compare_test: a results database built through the Store API in which every verdict occurs
// (tests/data/golden/mini.toml says which claim gets which), `golden update` on it, and the CLI's
// exit statuses 0 / 1 / 2.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "golden/baseline.h"
#include "golden/compare.h"
#include "golden/stats.h"
#include "golden/update.h"
#include "results/metric.h"
#include "results/test_util.h"
#include "tests/test_paths.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

constexpr int kProblems = 100;

// Items for problems p000..p099: correct for problems [c_lo, c_hi), code for [0, code_hi).
std::vector<EvalItem> items(int c_lo, int c_hi, int code_hi) {
  std::vector<EvalItem> v;
  for (int p = 0; p < kProblems; ++p) {
    EvalItem it;
    char id[8];
    std::snprintf(id, sizeof id, "p%03d", p);
    it.problem_id = id;
    it.correct = p >= c_lo && p < c_hi;
    it.has_code = p < code_hi;
    v.push_back(it);
  }
  return v;
}

struct Compare : ::testing::Test {
  test::TempDb tmp;
  Store st{tmp.path()};
  Suite suite = suite_load(test::test_data() + "/suites/mini.toml");

  int64_t run(const std::string& cell, int64_t seed) { return st.run_begin(test::cell_run_info("mini", cell, seed)); }
  void eval(int64_t r, int64_t step, std::vector<EvalItem> v) { st.eval_write(r, step, "synth-test", {}, v); }
  // Every marker metric: clip_frac as given, the others constant.
  static std::map<std::string, double> marker_row(double clip) {
    return {{"clip_frac", clip}, {"approx_kl", clip / 10}, {"entropy", 0.5}, {"response_length", 40}, {"adv_zero_frac", 0.25}};
  }

  void SetUp() override {
    // m-code/ground_truth: 0.40 -> 0.70 and 0.40 -> 0.74 (only gains); code 0.5 -> 0.9.
    for (auto [seed, hi] : {std::pair{1, 70}, std::pair{2, 74}}) {
      int64_t r = run("m-code/ground_truth", seed);
      eval(r, 0, items(0, 40, 50));
      eval(r, 10, items(0, 55, 70));
      eval(r, 20, items(0, hi, 90));
      for (int step = 1; step <= 20; ++step)  // clip_frac 0.011 (seed 1), 0.012 (seed 2) every step
        st.step_metrics_write(r, step, marker_row(0.01 + 0.001 * seed));
      st.run_finish(r);
    }
    // m-code/random0.5, one seed: 10 problems gained, 10 lost: gain 0.
    int64_t r = run("m-code/random0.5", 7);
    eval(r, 0, items(0, 40, 0));
    eval(r, 10, items(10, 50, 0));
    st.run_finish(r);
    // m-code/random0.5-noclip: +0.30 in both seeds.
    for (int seed : {1, 2}) {
      r = run("m-code/random0.5-noclip", seed);
      eval(r, 0, items(0, 40, 0));
      eval(r, 10, items(0, 70, 0));
      for (int step = 1; step <= 10; ++step) st.step_metrics_write(r, step, marker_row(0.0));
      st.run_finish(r);
    }
    // m-lang/ground_truth: seed 1 fine; seed 2 first finished, then re-run and failed: the
    // latest run of a seed is the one that counts.
    for (int seed : {1, 2}) {
      r = run("m-lang/ground_truth", seed);
      eval(r, 0, items(0, 40, 0));
      eval(r, 10, items(0, 50, 0));
      st.run_finish(r);
    }
    r = run("m-lang/ground_truth", 2);
    eval(r, 0, items(0, 40, 0));
    st.run_fail(r, 5, "loss is NaN");
    // m-lang/random0.5: never run.
  }
};

TEST_F(Compare, EveryVerdict) {
  Golden g = golden_load(test::test_data() + "/golden/mini.toml");
  Comparison c = compare_golden(st, suite, g);
  std::vector<std::string> v;
  for (const auto& row : c.rows) v.push_back(verdict_name(row.verdict));
  EXPECT_EQ(v, (std::vector<std::string>{"PASS", "PASS", "REGRESSION", "IMPROVED", "FAILED RUN", "MISSING", "PASS", "PASS", "PASS"}));
  EXPECT_EQ(c.exit_status(), 1);
  EXPECT_EQ(c.holm_m, 6);  // the statistical claims, measured or not

  // The hand-computed numbers of the two-seed claim.
  const Judged& j = c.rows[0];
  const Measurement& m = j.m;
  EXPECT_EQ(m.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(m.problems, kProblems);
  EXPECT_NEAR(m.baseline, 0.40, 1e-12);
  EXPECT_NEAR(m.final_value, 0.72, 1e-12);
  EXPECT_NEAR(m.gain, 0.32, 1e-12);
  EXPECT_NEAR(m.sd_seeds, std::sqrt(0.0008), 1e-12);
  // The flip floor: the seeds differ on problems 70..73 only, each with between-seed variance
  // 0.5; the 96 others never flipped in 2 seeds and are credited the Jeffreys floor
  // 0.5 * 2.5 / (3 * 4): sqrt((4 * 0.5 + 96 * 0.5 * 2.5 / 12) / 100 / 100).
  const double floor2 = 0.5 * 2.5 / 12.0;
  EXPECT_NEAR(flip_variance_floor({0.0, 0.0}), floor2, 1e-15);
  EXPECT_NEAR(flip_variance_floor({1.0, 0.0}), 1.5 * 1.5 / 12.0, 1e-15);
  EXPECT_NEAR(m.noise_floor, std::sqrt((4 * 0.5 + 96 * floor2) / 1e4), 1e-12);
  EXPECT_NEAR(m.sd_one_seed(), m.noise_floor, 1e-12);  // two seeds: the floor dominates the seed sd sqrt(0.0008)
  EXPECT_GT(m.noise_floor, std::sqrt(0.0008));
  EXPECT_EQ(m.sd_one_seed_df(), 1.0);
  EXPECT_NEAR(j.se, 0.03 * std::sqrt(1.0 / 2 + 1.0 / 3), 1e-12);  // golden sd, 2 new seeds, 3 golden seeds
  EXPECT_NEAR(j.t, 0.0, 1e-9);
  EXPECT_EQ(m.pairs_up, 30 + 34);
  EXPECT_EQ(m.pairs_down, 0);
  EXPECT_LT(m.mcnemar_p, 1e-15);
  EXPECT_TRUE(c.rows[1].exact);
  EXPECT_NEAR(c.rows[1].m.gain, 0.40, 1e-12);  // code frequency

  // One seed against sd_seed 0.02 and 3 golden seeds: t = -0.2 / (0.02 sqrt(4/3)) = -8.66.
  const Judged& one = c.rows[2];
  EXPECT_NEAR(one.m.gain, 0.0, 1e-12);
  EXPECT_NEAR(one.t, -0.2 / (0.02 * std::sqrt(4.0 / 3)), 1e-9);
  EXPECT_NEAR(one.p, stats::t_two_sided_p(one.t, 50), 1e-15);
  EXPECT_EQ(one.m.pairs_up, 10);
  EXPECT_EQ(one.m.pairs_down, 10);
  EXPECT_NEAR(one.m.mcnemar_p, 1.0, 1e-12);
  EXPECT_TRUE(c.rows[3].exact);  // IMPROVED: exactly 0 claimed, +0.30 measured

  EXPECT_NE(c.rows[4].m.note.find("seed 2 (run 8): failed at step 5: loss is NaN"), std::string::npos) << c.rows[4].m.note;
  EXPECT_EQ(c.rows[5].m.note, "m-lang/random0.5 seed 7: no run");
  // Contrast: +0.15 - +0.30 in both seeds, problem by problem.
  EXPECT_NEAR(c.rows[6].m.gain, -0.15, 1e-12);
  EXPECT_EQ(c.rows[6].m.sd_seeds, 0.0);
  // Marker: the geometric mean of 0.011 and 0.012 on the log scale.
  EXPECT_NEAR(c.rows[7].m.gain, std::sqrt(0.011 * 0.012), 1e-12);
  EXPECT_NEAR(c.rows[7].m.sd_seeds, std::fabs(std::log(0.012) - std::log(0.011)) / std::sqrt(2.0), 1e-12);
  EXPECT_EQ(c.rows[7].m.steps, 20);
  EXPECT_TRUE(c.rows[8].exact);
  EXPECT_TRUE(c.unclaimed_cells.empty());

  std::string table = comparison_table(c);
  EXPECT_NE(table.find("mini: 9 claims: 5 PASS, 1 REGRESSION, 1 IMPROVED, 1 MISSING, 1 FAILED RUN"), std::string::npos) << table;
  EXPECT_NE(table.find("false-alarm rate on a fresh seed: <= 5% for the whole golden (Holm over 6 statistical claims; 3 exact"), std::string::npos) << table;
  auto js = nlohmann::json::parse(comparison_json(c));
  EXPECT_EQ(js["pass"], false);
  EXPECT_EQ(js["claims"][3]["verdict"], "IMPROVED");
  EXPECT_EQ(js["claims"][5]["measured"], nullptr);
  EXPECT_EQ(js["claims"][6]["kind"], "contrast");
}

// compare --baseline-suite: m-code's step-0 accuracy is 40% under one template and 10% under the
// other, a 30-point spread; the random0.5 claim (+0.20 claimed, 0 measured) is below it and is
// flagged, ground truth's +0.32 is not. Flags never change a verdict.
TEST_F(Compare, BaselineSpreadFlagsSmallGains) {
  Suite base = suite_load(test::test_data() + "/suites/baseline_mini.toml");
  for (auto [cell, hi] : {std::pair{"m-code/template-qwen-math", 40}, std::pair{"m-code/template-plain", 10}}) {
    int64_t r = st.run_begin(test::cell_run_info("baseline-mini", cell, 1));
    std::vector<EvalItem> v = items(0, hi, 0);
    st.eval_write(r, 0, "synth-test", {{"accuracy", hi / 100.0}, {"code_frequency", 0.0}}, v);
    st.run_finish(r);
  }
  std::vector<BaselineSpread> spreads = baseline_spreads(st, base);
  const BaselineSpread* acc = baseline_spread_find(spreads, "m-code", "accuracy");
  ASSERT_NE(acc, nullptr);
  EXPECT_NEAR(acc->spread(), 0.30, 1e-12);
  EXPECT_EQ(acc->lo_cell, "template-plain");
  EXPECT_EQ(acc->hi_cell, "template-qwen-math");
  EXPECT_EQ(baseline_spread_find(spreads, "m-lang", "accuracy"), nullptr) << "no cells of m-lang";
  Comparison c = compare_golden(st, suite, golden_load(test::test_data() + "/golden/mini.toml"));
  std::vector<std::string> before;
  for (const Judged& j : c.rows) before.push_back(verdict_name(j.verdict));
  comparison_flag_baselines(c, spreads);
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const Judged& j = c.rows[i];
    EXPECT_EQ(verdict_name(j.verdict), before[i]);
    const bool small = j.entry.kind == ClaimKind::gain && j.entry.model == "m-code" && j.entry.metric == "accuracy" &&
                       std::max(std::fabs(j.entry.gain), std::isnan(j.m.gain) ? 0.0 : std::fabs(j.m.gain)) < 0.30;
    EXPECT_EQ(!j.baseline_note.empty(), small) << j.entry.label() << ": " << j.baseline_note;
  }
  std::string table = comparison_table(c);
  EXPECT_NE(table.find("m-code accuracy: 30.0 points (template-plain 10.0% .. template-qwen-math 40.0%"), std::string::npos) << table;
  EXPECT_NE(table.find("FLAG m-code/random0.5 accuracy: gain +20.0 is smaller than the step-0 spread 30.0"), std::string::npos) << table;
}

TEST_F(Compare, HolmCorrectsOverTheWholeGolden) {
  // The same REGRESSION claim, alone in a golden: m = 1. Made milder (t = -2.6, p = 0.012) it
  // fails alone at 5% but passes among 6 claims (threshold 0.05 / 6).
  Golden g = golden_load(test::test_data() + "/golden/mini.toml");
  g.entries[2].sd_seed = 0.0665;
  Comparison all = compare_golden(st, suite, g);
  EXPECT_EQ(all.rows[2].verdict, Verdict::pass);
  EXPECT_GT(all.rows[2].p, 0.05 / 6);
  EXPECT_LT(all.rows[2].p, 0.05);
  Golden alone = g;
  alone.entries = {g.entries[2]};
  EXPECT_EQ(compare_golden(st, suite, alone).rows[0].verdict, Verdict::regression);
}

TEST_F(Compare, MutantRunsAreReadOnlyWhenAsked) {
  // A mutant run of m-code/random0.5 seed 7 that gained +0.2: the real runs still REGRESS; read
  // through the mutant map, the claim passes.
  RunInfo info = test::cell_run_info("mini", "m-code/random0.5", 7);
  info.mutant = "lucky";
  int64_t r = st.run_begin(info);
  eval(r, 0, items(0, 40, 0));
  eval(r, 10, items(0, 60, 0));
  st.run_finish(r);
  Golden g = golden_load(test::test_data() + "/golden/mini.toml");
  EXPECT_EQ(compare_golden(st, suite, g).rows[2].verdict, Verdict::regression);
  EXPECT_EQ(compare_golden(st, suite, g, {{"m-code/random0.5", "lucky"}}).rows[2].verdict, Verdict::pass);
}

TEST_F(Compare, AllPassAndGoldenForAnotherSuite) {
  Comparison c = compare_golden(st, suite, golden_load(test::test_data() + "/golden/mini_pass.toml"));
  EXPECT_EQ(c.exit_status(), 0);
  EXPECT_EQ(c.unclaimed_cells.size(), 4u);  // random0.5, noclip, m-lang x2
  Golden other = golden_load(test::test_data() + "/golden/mini.toml");
  other.suite = "quick";
  EXPECT_THROW(compare_golden(st, suite, other), InputError);
  // A contrast with a cell the suite lacks: bad input naming the field.
  Golden bad = golden_load(test::test_data() + "/golden/mini.toml");
  bad.entries[6].minus = "random0.7";
  try {
    compare_golden(st, suite, bad);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cell[6].minus: contrast cell m-code/random0.7 is not in"), std::string::npos) << e.what();
  }
}

TEST_F(Compare, GoldenUpdateClaimsWhatWasMeasured) {
  Golden old = golden_load(test::test_data() + "/golden/mini.toml");
  GoldenUpdate u = golden_update(st, suite, old, "g.toml", "test-platform", "2025-06-01");
  // 5 cells x (2 gains + 5 markers) + 2 contrast claims. Unmeasured: random0.5's 5 markers (no
  // step metrics), m-lang/ground_truth (failed) and m-lang/random0.5 (never run), 7 each.
  EXPECT_EQ(u.unmeasured.size(), 19u);
  auto find = [&](const std::string& label) -> const GoldenEntry* {
    for (const auto& e : u.golden.entries)
      if (e.label() == label) return &e;
    return nullptr;
  };
  const GoldenEntry* rnd = find("m-code/random0.5 accuracy");
  ASSERT_NE(rnd, nullptr);
  EXPECT_EQ(rnd->gain, 0.0);
  // One seed: the bootstrap SE over problems (about sqrt(0.2) / 10 = 0.045), df = 99.
  EXPECT_NEAR(rnd->sd_seed, std::sqrt(0.2) / 10, 0.004);
  EXPECT_EQ(rnd->df, 99);
  const GoldenEntry* code = find("m-code/random0.5 code_frequency");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->sd_seed, 0.01);  // no code at all, one seed: one problem's worth of spread
  const GoldenEntry* gt = find("m-code/ground_truth code_frequency");
  ASSERT_NE(gt, nullptr);
  EXPECT_EQ(gt->sd_seed, 0.0);  // two seeds, identical problem by problem: exact
  const GoldenEntry* noclip = find("m-code/random0.5-noclip clip_frac[1..10]");
  ASSERT_NE(noclip, nullptr);
  EXPECT_EQ(noclip->sd_seed, 0.0);
  const GoldenEntry* contrast = find("m-code/ground_truth - random0.5-noclip accuracy");
  ASSERT_NE(contrast, nullptr);
  EXPECT_EQ(contrast->step, 10);  // the last step both cells evaluate
  EXPECT_NEAR(contrast->gain, -0.15, 1e-12);
  EXPECT_EQ(u.golden.provenance.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(u.golden.provenance.statistic, kGoldenStatistic);
  EXPECT_EQ(u.golden.provenance.date, "2025-06-01");
  // Written, read back and compared: every measured claim passes against its own measurement.
  std::string path = tmp.path("updated.toml");
  file_write_atomic(path, golden_render(u.golden));
  Comparison c = compare_golden(st, suite, golden_load(path));
  for (const auto& row : c.rows) {
    if (row.m.state == Measurement::State::ok) {
      EXPECT_EQ(row.verdict, Verdict::pass) << row.entry.label();
    }
  }
}

// A finished run of mini's m-code/ground_truth on `seed`: 40 -> hi of 90 problems correct at step
// 20, clip_frac near `clip`, the other markers steady (the permutation tests' cell).
void add_mini_gt_run(Store& st, int64_t seed, int hi, double clip) {
  int64_t r = st.run_begin(test::cell_run_info("mini", "m-code/ground_truth", seed));
  st.eval_write(r, 0, "synth-test", {}, items(0, 40, 50));
  st.eval_write(r, 20, "synth-test", {}, items(0, hi, 90));
  for (int step = 1; step <= 20; ++step)
    st.step_metrics_write(r, step, {{"clip_frac", clip + 0.0001 * (step % 3)}, {"approx_kl", clip / 10}, {"entropy", 0.5 + 0.01 * (seed % 4)},
                                    {"response_length", 40.0 + step % 2}, {"adv_zero_frac", 0.25}});
  st.run_finish(r);
}

// Statistic v3 end to end: 19 golden seeds of one cell make `golden update` write the permutation
// statistic; a fresh seed like them passes, one far below them fails, and a golden seed judged on
// its own is pooled with the other 18 (golden/README.md, "Verdict (statistic v3)").
TEST(PermutationCompare, UpdateThenJudgeFreshAndGoldenSeeds) {
  test::TempDb tmp;
  Store st{tmp.path()};
  auto seeds = [](int64_t lo, int64_t hi) {
    std::vector<int64_t> v;
    for (int64_t s = lo; s <= hi; ++s) v.push_back(s);
    return v;
  };
  auto add = [&](int64_t seed, int hi, double clip) { add_mini_gt_run(st, seed, hi, clip); };
  // seed s: 40 -> 60 + s % 7 problems correct, clip_frac 0.010 + 0.0005 (s % 5).
  for (int64_t s = 1; s <= 20; ++s) add(s, 60 + static_cast<int>(s % 7), 0.010 + 0.0005 * static_cast<double>(s % 5));
  add(21, 45, 0.0105);  // accuracy gain 5 points where the golden's seeds gained 20-26
  Suite golden_suite = suite_load(test::test_data() + "/suites/mini.toml", seeds(1, 19));
  GoldenUpdate u = golden_update(st, golden_suite, std::nullopt, "g.toml", "test", "2026-12-07");
  ASSERT_EQ(u.golden.provenance.statistic, kPermutationStatistic);
  std::string path = tmp.path("v3.toml");
  file_write_atomic(path, golden_render(u.golden));
  Golden g = golden_load(path);
  auto verdict_of = [&](int64_t seed, const std::string& label) {
    Comparison c = compare_golden(st, suite_load(test::test_data() + "/suites/mini.toml", {seed}), g);
    for (const auto& r : c.rows)
      if (r.entry.label() == label) return std::pair{r.verdict, c};
    ADD_FAILURE() << label;
    return std::pair{Verdict::missing, c};
  };
  auto [fresh, c20] = verdict_of(20, "m-code/ground_truth accuracy");
  EXPECT_EQ(fresh, Verdict::pass);
  EXPECT_EQ(c20.perm_units, 20);  // 19 golden seeds + the fresh one
  EXPECT_DOUBLE_EQ(c20.false_alarm_level, 1.0 / 20);
  auto [low, c21] = verdict_of(21, "m-code/ground_truth accuracy");
  EXPECT_EQ(low, Verdict::regression);
  auto [own, c1] = verdict_of(1, "m-code/ground_truth accuracy");
  EXPECT_EQ(own, Verdict::pass);
  EXPECT_EQ(c1.perm_units, 19);  // seed 1 counts once, as judged
  for (const auto& r : c21.rows)
    if (r.entry.label() == "m-code/ground_truth accuracy") {
      EXPECT_LT(r.t, 0);
      EXPECT_DOUBLE_EQ(r.p, 1.0 / 20);
      EXPECT_TRUE(std::isfinite(r.mde_1));
      EXPECT_TRUE(std::isfinite(r.mde_k));  // k = 2, the suite file's seeds
      EXPECT_EQ(c21.mde_seeds, 2);
    }
}

// Science claims (suite [science]) are their own family once the judged seeds let both shares of
// alpha flag: never at one seed against 19 (C(20, 1) = 20 relabelings: 2.5% of 20 is below one),
// always at two (C(21, 2) = 210). The two families' levels add up to the golden's bound, and a
// science claim is held to detect x its size on the suite's seeds.
TEST(PermutationCompare, ScienceFamilySplitsWhenSeedsAllow) {
  test::TempDb tmp;
  Store st{tmp.path()};
  auto add = [&](int64_t seed, int hi, double clip) { add_mini_gt_run(st, seed, hi, clip); };
  for (int64_t s = 1; s <= 20; ++s) add(s, 60 + static_cast<int>(s % 7), 0.010 + 0.0005 * static_cast<double>(s % 5));
  add(21, 45, 0.0105);  // accuracy gain 5 points where the golden's seeds gained 20-26
  add(22, 46, 0.0110);
  std::vector<int64_t> golden_seeds;
  for (int64_t s = 1; s <= 19; ++s) golden_seeds.push_back(s);
  GoldenUpdate u = golden_update(st, suite_load(test::test_data() + "/suites/mini.toml", golden_seeds), std::nullopt, "g.toml", "test", "2026-12-07");
  std::string gpath = tmp.path("v3.toml");
  file_write_atomic(gpath, golden_render(u.golden));
  Golden g = golden_load(gpath);
  std::string spath = tmp.path("mini.toml");
  std::ifstream in(test::test_data() + "/suites/mini.toml");
  std::ofstream(spath) << in.rdbuf() << "\n[science]\nclaims = [\"m-code/ground_truth accuracy\"]\nalpha = 0.025\ndetect = 0.5\n";
  auto judge = [&](std::vector<int64_t> seeds) { return compare_golden(st, suite_load(spath, seeds), g); };
  auto row = [](const Comparison& c, const std::string& label) -> const Judged& {
    for (const auto& r : c.rows)
      if (r.entry.label() == label) return r;
    throw std::runtime_error("no row " + label);
  };
  Comparison one = judge({20});
  EXPECT_FALSE(one.families_split);
  EXPECT_DOUBLE_EQ(one.false_alarm_level, 1.0 / 20);
  EXPECT_TRUE(row(one, "m-code/ground_truth accuracy").science);
  EXPECT_FALSE(row(one, "m-code/ground_truth clip_frac[1..20]").science);
  Comparison two = judge({21, 22});
  EXPECT_TRUE(two.families_split);
  EXPECT_DOUBLE_EQ(two.science_level, 5.0 / 210);  // floor(0.025 x 210) / 210
  EXPECT_DOUBLE_EQ(two.telemetry_level, 5.0 / 210);
  EXPECT_DOUBLE_EQ(two.false_alarm_level, 10.0 / 210);
  const Judged& acc = row(two, "m-code/ground_truth accuracy");
  EXPECT_EQ(acc.verdict, Verdict::regression);
  EXPECT_LE(acc.p, 0.025);
  EXPECT_EQ(two.mde_seeds, 2);  // the suite file's seeds: [1, 2]
  EXPECT_EQ(acc.underpowered, !(acc.mde_k <= 0.5 * std::fabs(acc.entry.gain)));
  EXPECT_NE(comparison_table(two).find("two families: 1 science claims at 2.5%"), std::string::npos) << comparison_table(two);
  // A science claim the golden does not hold is bad input naming the suite's field.
  std::string bad = tmp.path("bad.toml");
  std::ifstream in2(test::test_data() + "/suites/mini.toml");
  std::ofstream(bad) << in2.rdbuf() << "\n[science]\nclaims = [\"m-lang/ground_truth accuracy\"]\n";
  try {
    compare_golden(st, suite_load(bad, {20}), g);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), bad + ": science.claims[0]: 'm-lang/ground_truth accuracy' is not a claim of " + gpath);
  }
}

// Probe claims (eval.probe): a bound on the probe's exact match, judged on the mean over seeds.
// m-clean completes 0% and 1% of the problems (seeds 1, 2), m-leak 40%; update writes the side of
// kProbeExactMatchBound each was measured on, and compare holds it.
struct ProbeCompare : ::testing::Test {
  test::TempDb tmp;
  Store st{tmp.path()};
  Suite suite = suite_load(test::test_data() + "/suites/probe_mini.toml");

  void probe(const std::string& cell, int64_t seed, double exact) {
    int64_t r = st.run_begin(test::cell_run_info("probe-mini", cell, seed));
    st.eval_write(r, 0, "synth-test", {{"accuracy", 0.5}}, items(0, 50, 0));
    std::vector<ProbeItem> pi = {{"p000", 4, 3, "a b c", "a b c", true, 1, false}};
    st.probe_write(r, 0, "synth-test",
                   {{metric_cstr(Metric::probe_exact_match), exact}, {metric_cstr(Metric::probe_rouge_l), exact}, {metric_cstr(Metric::probe_accuracy), 0.1}, {metric_cstr(Metric::probe_problems), 100}},
                   pi);
    st.run_finish(r);
  }
  void SetUp() override {
    probe("m-clean/probe", 1, 0.0);
    probe("m-clean/probe", 2, 0.01);
    probe("m-leak/probe", 1, 0.4);
    probe("m-leak/probe", 2, 0.4);
  }
};

TEST_F(ProbeCompare, GoldenUpdateWritesTheMeasuredSideOfTheBoundAndCompareHoldsIt) {
  GoldenUpdate u = golden_update(st, suite, std::nullopt, "g.toml", "test-platform", "2026-12-02");
  EXPECT_TRUE(u.unmeasured.empty());
  ASSERT_EQ(u.golden.entries.size(), 2u);  // eval-only cells: no gains or markers, one probe claim each
  const GoldenEntry& clean = u.golden.entries[0];
  EXPECT_EQ(clean.kind, ClaimKind::probe);
  EXPECT_EQ(clean.label(), "m-clean/probe probe_exact_match");
  EXPECT_NEAR(clean.gain, 0.005, 1e-12);
  EXPECT_EQ(clean.bound_max, kProbeExactMatchBound);
  EXPECT_TRUE(std::isnan(clean.bound_min));
  EXPECT_EQ(clean.measured.at("problems"), 100);
  const GoldenEntry& leak = u.golden.entries[1];
  EXPECT_EQ(leak.bound_min, kProbeExactMatchBound);
  EXPECT_TRUE(std::isnan(leak.bound_max));
  std::string path = tmp.path("probe.toml");
  file_write_atomic(path, golden_render(u.golden));
  Golden g = golden_load(path);
  EXPECT_EQ(golden_statistical_claims(g), 0);  // bounds, not spreads: Holm counts none
  Comparison c = compare_golden(st, suite, g);
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::pass);
  EXPECT_EQ(c.rows[1].verdict, Verdict::pass);
  std::string table = comparison_table(c);
  EXPECT_NE(table.find("<= 5.0%"), std::string::npos) << table;
  EXPECT_NE(table.find(">= 5.0%"), std::string::npos) << table;

  // A leak into the clean model (a new run of seed 1 at 30%) and a control that stops leaking.
  probe("m-clean/probe", 1, 0.3);
  probe("m-leak/probe", 2, 0.0);
  probe("m-leak/probe", 1, 0.0);
  c = compare_golden(st, suite, g);
  EXPECT_EQ(c.rows[0].verdict, Verdict::regression);
  EXPECT_EQ(c.rows[1].verdict, Verdict::regression);
  table = comparison_table(c);
  EXPECT_NE(table.find("REGRESSION m-clean/probe probe_exact_match: the probe measured 15.5%, outside <= 5.0% (the model now completes"),
            std::string::npos) << table;
  EXPECT_NE(table.find("the control is no longer flagged as contaminated"), std::string::npos) << table;
  EXPECT_EQ(c.exit_status(), 1);
}

TEST_F(ProbeCompare, ACellWithoutTheProbeIsMissingWithItsReason) {
  int64_t r = st.run_begin(test::cell_run_info("probe-mini", "m-clean/probe", 2));
  st.eval_write(r, 0, "synth-test", {{"accuracy", 0.5}}, items(0, 50, 0));
  st.run_finish(r);
  GoldenEntry e;
  e.kind = ClaimKind::probe;
  e.model = "m-clean";
  e.reward = "probe";
  e.metric = metric_cstr(Metric::probe_exact_match);
  e.dataset = "synth-test";
  e.bound_max = 0.05;
  Measurement m = measure_claim(st, suite, e);
  EXPECT_EQ(m.state, Measurement::State::missing);
  EXPECT_EQ(m.note, "m-clean/probe seed 2: no 'probe_exact_match' on 'synth-test' at step 0 (the cell needs eval.probe)");
}

// The CLI: exit 0 all pass, 1 any other verdict, 2 bad input (one line naming file and field).
int run_cli(const std::string& args, std::string* err = nullptr) {
  std::string errf = std::filesystem::temp_directory_path() / ("rlvr_cli_err_" + std::to_string(getpid()));
  std::string cmd = std::string(RLVR_BENCH_BIN) + " " + args + " >/dev/null 2>" + errf;
  int st = std::system(cmd.c_str());
  if (err) *err = file_read(errf);
  std::filesystem::remove(errf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(Compare, CliExitStatus) {
  std::string suite_arg = "--suite " + test::test_data() + "/suites/mini.toml --db " + tmp.path();
  std::string g = test::test_data() + "/golden/";
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "mini_pass.toml"), 0);
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "mini.toml"), 1);
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "mini.toml --format json"), 1);
  std::string err;
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "bad_band.toml", &err), 2);
  EXPECT_EQ(err, "rlvrbench compare: " + g + "bad_band.toml: cell[0].sd_seed: expected a number\n");
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "v1_refused.toml", &err), 2);
  EXPECT_NE(err.find("provenance.statistic_version: statistic 'paired-bootstrap+seed-t' version 1 is not implemented"), std::string::npos) << err;
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "mini.toml --format xml", &err), 2);
  // golden update: refuses (exit 1, nothing written) while cells are unmeasured, unless --allow-partial.
  std::string out = tmp.path("new_golden.toml");
  EXPECT_EQ(run_cli("golden update " + suite_arg + " --golden " + out), 1);
  EXPECT_FALSE(file_exists(out));
  EXPECT_EQ(run_cli("golden update " + suite_arg + " --golden " + out + " --allow-partial"), 0);
  EXPECT_EQ(golden_load(out).entries.size(), 35u + 2u - 19u);  // the measured claims
}

// A golden records clean commits: runs of a dirty tree are refused unless --allow-dirty, which
// the provenance then says.
TEST(GoldenUpdateCli, DirtyRunsNeedAllowDirty) {
  test::TempDb tmp;
  {
    Store st{tmp.path()};
    RunInfo info = test::cell_run_info("mini", "m-code/ground_truth", 1);
    info.git_commit = "abc1234-dirty";
    int64_t r = st.run_begin(info);
    st.eval_write(r, 0, "synth-test", {}, items(0, 40, 50));
    st.eval_write(r, 20, "synth-test", {}, items(0, 60, 70));
    st.run_finish(r);
  }
  const std::string args = "golden update --suite " + test::test_data() + "/suites/mini.toml --db " + tmp.path() +
                           " --seeds 1 --allow-partial --golden " + tmp.path("g.toml");
  std::string err;
  EXPECT_EQ(run_cli(args, &err), 2);
  EXPECT_NE(err.find("--allow-dirty: the runs come from a tree with uncommitted changes (abc1234-dirty)"), std::string::npos) << err;
  EXPECT_FALSE(file_exists(tmp.path("g.toml")));
  EXPECT_EQ(run_cli(args + " --allow-dirty"), 0);
  EXPECT_NE(golden_load(tmp.path("g.toml")).provenance.note.find("uncommitted changes"), std::string::npos);
}

}  // namespace
}  // namespace rlvr
