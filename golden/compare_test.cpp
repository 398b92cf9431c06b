// compare_test: a results database built through the Store API in which every verdict occurs
// (tests/data/golden/mini.toml says which claim gets which), `golden update` on it, and the CLI's
// exit statuses 0 / 1 / 2.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "golden/compare.h"
#include "golden/stats.h"
#include "golden/update.h"
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

  void SetUp() override {
    // m-code/ground_truth: 0.40 -> 0.70 and 0.40 -> 0.74 (only gains); code 0.5 -> 0.9.
    for (auto [seed, hi] : {std::pair{1, 70}, std::pair{2, 74}}) {
      int64_t r = run("m-code/ground_truth", seed);
      eval(r, 0, items(0, 40, 50));
      eval(r, 10, items(0, 55, 70));
      eval(r, 20, items(0, hi, 90));
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
  EXPECT_EQ(v, (std::vector<std::string>{"PASS", "PASS", "REGRESSION", "IMPROVED", "FAILED RUN", "MISSING"}));
  EXPECT_EQ(c.exit_status(), 1);

  // The hand-computed numbers of the two-seed claim.
  const Measurement& m = c.rows[0].m;
  EXPECT_EQ(m.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(m.problems, kProblems);
  EXPECT_NEAR(m.baseline, 0.40, 1e-12);
  EXPECT_NEAR(m.final_value, 0.72, 1e-12);
  EXPECT_NEAR(m.gain, 0.32, 1e-12);
  EXPECT_NEAR(m.sd_seeds, std::sqrt(0.0008), 1e-12);
  // Welch-Satterthwaite: problems' variance (df 99) and seeds' variance / 2 (df 1).
  const double a = m.se_problems * m.se_problems, b = 0.0008 / 2;
  EXPECT_EQ(m.crit, stats::t_crit95(static_cast<int64_t>((a + b) * (a + b) / (a * a / 99 + b * b))));
  EXPECT_EQ(m.pairs_up, 30 + 34);
  EXPECT_EQ(m.pairs_down, 0);
  EXPECT_LT(m.mcnemar_p, 1e-15);
  EXPECT_NEAR(m.se, std::sqrt(m.se_problems * m.se_problems + 0.0008 / 2), 1e-12);
  EXPECT_NEAR(c.rows[1].m.gain, 0.40, 1e-12);  // code frequency

  // One seed: the binomial floor sqrt(0.4 * 0.6 / 100) = 0.04899 beats the bootstrap's
  // sqrt(0.2) / 10 = 0.0447, so the interval is 0 -+ 1.96 * 0.04899 = [-0.096, +0.096]: below
  // the band [0.15, 0.25].
  const Measurement& one = c.rows[2].m;
  EXPECT_NEAR(one.gain, 0.0, 1e-12);
  EXPECT_NEAR(one.se_floor, std::sqrt(0.24) / 10, 1e-12);
  EXPECT_NEAR(one.se, one.se_floor, 1e-12);
  EXPECT_NEAR(one.hi, 1.959964 * std::sqrt(0.24) / 10, 1e-5);
  EXPECT_EQ(one.pairs_up, 10);
  EXPECT_EQ(one.pairs_down, 10);
  EXPECT_NEAR(one.mcnemar_p, 1.0, 1e-12);

  EXPECT_NE(c.rows[4].m.note.find("seed 2 (run 8): failed at step 5: loss is NaN"), std::string::npos) << c.rows[4].m.note;
  EXPECT_EQ(c.rows[5].m.note, "seed 7: no run");
  EXPECT_TRUE(c.unclaimed_cells.empty());

  std::string table = comparison_table(c);
  EXPECT_NE(table.find("mini: 6 claims: 2 PASS, 1 REGRESSION, 1 IMPROVED, 1 MISSING, 1 FAILED RUN"), std::string::npos) << table;
  auto j = nlohmann::json::parse(comparison_json(c));
  EXPECT_EQ(j["pass"], false);
  EXPECT_EQ(j["claims"][3]["verdict"], "IMPROVED");
  EXPECT_EQ(j["claims"][5]["measured"], nullptr);
}

TEST_F(Compare, AllPassAndGoldenForAnotherSuite) {
  Comparison c = compare_golden(st, suite, golden_load(test::test_data() + "/golden/mini_pass.toml"));
  EXPECT_EQ(c.exit_status(), 0);
  EXPECT_EQ(c.unclaimed_cells.size(), 4u);  // random0.5, noclip, m-lang x2
  Golden other = golden_load(test::test_data() + "/golden/mini.toml");
  other.suite = "quick";
  EXPECT_THROW(compare_golden(st, suite, other), InputError);
}

TEST_F(Compare, GoldenUpdateClaimsWhatWasMeasured) {
  Golden old = golden_load(test::test_data() + "/golden/mini.toml");
  GoldenUpdate u = golden_update(st, suite, old, "g.toml", "test-platform", "2025-06-01");
  EXPECT_EQ(u.unmeasured.size(), 4u);  // m-lang/ground_truth (failed) and m-lang/random0.5 (missing), 2 metrics each
  // 3 measured cells x 2 metrics + the old accuracy claims of the two unmeasured cells.
  ASSERT_EQ(u.golden.entries.size(), 8u);
  const GoldenEntry& rnd = u.golden.entries[2];
  EXPECT_EQ(rnd.cell(), "m-code/random0.5");
  EXPECT_EQ(rnd.metric, "accuracy");
  EXPECT_EQ(rnd.gain, 0.0);
  EXPECT_NEAR(rnd.band, 0.0961, 1e-12);  // ceil to 4 places of 1.96 * 0.04899
  const GoldenEntry& code = u.golden.entries[3];
  EXPECT_EQ(code.metric, "code_frequency");
  EXPECT_EQ(code.band, kMinBand);  // no code at all: se 0, the minimum band
  EXPECT_EQ(u.golden.provenance.seeds, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(u.golden.provenance.statistic, kGoldenStatistic);
  EXPECT_EQ(u.golden.provenance.date, "2025-06-01");
  // Written, read back and compared: every measured claim passes against its own measurement.
  std::string path = tmp.path("updated.toml");
  file_write_atomic(path, golden_render(u.golden));
  Comparison c = compare_golden(st, suite, golden_load(path));
  int pass = 0;
  for (const auto& row : c.rows) pass += row.verdict == Verdict::pass;
  EXPECT_EQ(pass, 6);
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
  EXPECT_EQ(err, "rlvrbench compare: " + g + "bad_band.toml: cell[0].band: expected a number\n");
  EXPECT_EQ(run_cli("compare " + suite_arg + " --golden " + g + "mini.toml --format xml", &err), 2);
  // golden update: refuses (exit 1, nothing written) while cells are unmeasured, unless --allow-partial.
  std::string out = tmp.path("new_golden.toml");
  EXPECT_EQ(run_cli("golden update " + suite_arg + " --golden " + out), 1);
  EXPECT_FALSE(file_exists(out));
  EXPECT_EQ(run_cli("golden update " + suite_arg + " --golden " + out + " --allow-partial"), 0);
  EXPECT_EQ(golden_load(out).entries.size(), 6u);
}

}  // namespace
}  // namespace rlvr
