// The accuracy decomposition: the identity on hand-made evals (a table of cases, empty strategies
// included), and the `decompose` query on the fixture database against the items themselves.
#include "report/decompose.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "report/query_named.h"
#include "report/report_data.h"
#include "report/test_fixture.h"
#include "util/error.h"

namespace rlvr::report {
namespace {

namespace fs = std::filesystem;
constexpr std::optional<double> kNone = std::nullopt;

struct Case {
  const char* name;
  StrategyEval s0, s1;                              // accuracy, code, acc_code, acc_lang
  std::optional<double> shift, within_code, within_lang;  // all nullopt: split undefined
  const char* undefined;                            // substring of the reason ("" when defined)
};

const Case kCases[] = {
    {"both strategies at both ends", {0.6, 0.5, 0.8, 0.4}, {0.72, 0.7, 0.9, 0.3}, 0.08, 0.07, -0.03, ""},
    {"all code at the end: language term has weight 0", {0.6, 0.5, 0.8, 0.4}, {0.8, 1.0, 0.8, kNone}, 0.2, 0.0, 0.0, ""},
    {"never code: shift and code term 0", {0.35, 0.0, kNone, 0.35}, {0.4, 0.0, kNone, 0.4}, 0.0, 0.0, 0.05, ""},
    {"all code at both ends", {0.8, 1.0, 0.8, kNone}, {0.9, 1.0, 0.9, kNone}, 0.0, 0.1, 0.0, ""},
    {"all code at step 0, then a shift: no gap", {0.8, 1.0, 0.8, kNone}, {0.6, 0.5, 0.8, 0.4}, kNone, kNone, kNone,
     "only one strategy"},
    {"per-strategy accuracy not logged", {0.6, 0.5, kNone, kNone}, {0.6, 0.5, kNone, kNone}, kNone, kNone, kNone,
     "accuracy_code not logged"},
    {"code frequency not logged", {0.6, kNone, 0.8, 0.4}, {0.7, kNone, 0.8, 0.4}, kNone, kNone, kNone, "no code_frequency"},
    {"metrics of different evals", {0.9, 0.5, 0.8, 0.4}, {0.72, 0.7, 0.9, 0.3}, kNone, kNone, kNone, "residual"},
};

TEST(Decompose, CasesAndTheIdentity) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Split s = decompose(c.s0, c.s1);
    EXPECT_NEAR(s.gain, *c.s1.accuracy - *c.s0.accuracy, 1e-15);
    if (!c.shift) {
      EXPECT_FALSE(s.shift || s.within || s.within_code || s.within_lang);
      EXPECT_NE(s.undefined.find(c.undefined), std::string::npos) << s.undefined;
      continue;
    }
    ASSERT_TRUE(s.undefined.empty()) << s.undefined;
    EXPECT_NEAR(*s.shift, *c.shift, 1e-12);
    EXPECT_NEAR(*s.within_code, *c.within_code, 1e-12);
    EXPECT_NEAR(*s.within_lang, *c.within_lang, 1e-12);
    EXPECT_EQ(*s.within, *s.within_code + *s.within_lang);
    EXPECT_NEAR(*s.shift + *s.within, s.gain, 1e-12);
  }
}

class DecomposeDb : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rlvr_decompose_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "results.db").string();
    test::fixture_write(path_, test::FixtureMode::good);
    store_ = store_open_existing(path_);
    db_ = std::make_unique<ReadOnlyDb>(path_);
  }
  void TearDown() override {
    db_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ReadOnlyDb> db_;
};

// c, a_code, a_lang of one eval recomputed from its items (NaN for an empty strategy).
StrategyEval from_items(const std::vector<EvalItem>& items) {
  double n = 0, code = 0, cc = 0, lc = 0;
  for (const EvalItem& it : items) n += 1, code += it.has_code, cc += it.has_code && it.correct, lc += !it.has_code && it.correct;
  auto ratio = [](double a, double b) { return b > 0 ? std::optional<double>(a / b) : std::nullopt; };
  return {(cc + lc) / n, code / n, ratio(cc, code), ratio(lc, n - code)};
}

// --seeds: a summary over one seed set; a seed no run has leaves no row.
TEST_F(DecomposeDb, SeedsFilterKeepsOnlyThoseSeeds) {
  std::vector<DecomposeRow> all = decompose_load(*db_), one = decompose_load(*db_, "", {1});
  ASSERT_EQ(one.size(), all.size());
  int64_t n_one = 0, n_all = 0;  // llama / random's seed 2 failed: that cell has seed 1 only either way
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].cell, all[i].cell);
    EXPECT_EQ(one[i].gain.seeds, 1);
    n_one += one[i].gain.seeds, n_all += all[i].gain.seeds;
  }
  EXPECT_EQ(n_one, 4);
  EXPECT_EQ(n_all, 7);
  EXPECT_TRUE(decompose_load(*db_, "", {999}).empty());
}

TEST_F(DecomposeDb, FixtureCellsMatchTheirItemsAndTheGains) {
  std::vector<DecomposeRow> rows = decompose_load(*db_);
  ReportData d = report_data_load(*store_);
  ASSERT_EQ(rows.size(), static_cast<size_t>(test::kFixtureCells));
  ASSERT_EQ(d.cells.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const DecomposeRow& r = rows[i];
    const CellRuns& c = d.cells[i];
    SCOPED_TRACE(r.cell);
    ASSERT_EQ(r.cell, c.cell);
    GainSummary g = gain_summary(d.gains(c, test::kFixtureDataset, metric_cstr(Metric::accuracy)));
    EXPECT_EQ(r.gain.seeds, g.seeds);
    EXPECT_NEAR(r.gain.mean, g.mean, 1e-12);
    // Every fixture seed has a defined split (llama never writes code: its code terms are 0).
    EXPECT_TRUE(r.undefined_seeds.empty()) << r.undefined_reason;
    EXPECT_EQ(r.shift.seeds, r.gain.seeds);
    EXPECT_NEAR(r.shift.mean + r.within.mean, r.gain.mean, 1e-12);
    double shift = 0, wc = 0, wl = 0, n = 0;
    for (const RunRow& run : c.seeds) {
      if (run.status != RunStatus::finished) continue;
      StrategyEval s0 = from_items(store_->eval_items(run.id, 0, test::kFixtureDataset));
      StrategyEval s1 = from_items(store_->eval_items(run.id, 20, test::kFixtureDataset));
      double c0 = *s0.code, c1 = *s1.code;
      shift += c1 == c0 ? 0.0 : (c1 - c0) * (*s0.acc_code - *s0.acc_lang);
      wc += c1 > 0 ? c1 * (*s1.acc_code - *s0.acc_code) : 0.0;
      wl += c1 < 1 ? (1 - c1) * (*s1.acc_lang - *s0.acc_lang) : 0.0;
      n += 1;
    }
    EXPECT_NEAR(r.shift.mean, shift / n, 1e-12);
    EXPECT_NEAR(r.within_code.mean, wc / n, 1e-12);
    EXPECT_NEAR(r.within_lang.mean, wl / n, 1e-12);
    bool llama = r.cell.rfind("synth-llama", 0) == 0;
    EXPECT_EQ(r.acc_code0.has_value(), !llama);
    if (llama) EXPECT_EQ(r.shift.mean, 0.0);
  }
}

TEST_F(DecomposeDb, AnUndefinedSplitIsNamedNotInvented) {
  RunInfo info;
  info.suite = "fixture";
  info.model = "synth-qwen-math-7b";
  info.reward = "format";
  info.cell = info.model + "/" + info.reward;
  info.seed = 7;
  Store writer(path_);  // the readers (store_, db_) never write: a second connection adds the run
  int64_t run = writer.run_begin(info);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  writer.eval_write(run, 0, test::kFixtureDataset, {{"accuracy", 0.8}, {"code_frequency", 1.0}, {"accuracy_code", 0.8},
                                                     {"accuracy_language", nan}}, {});
  writer.eval_write(run, 10, test::kFixtureDataset, {{"accuracy", 0.6}, {"code_frequency", 0.5}, {"accuracy_code", 0.8},
                                                      {"accuracy_language", 0.4}}, {});
  writer.run_finish(run);
  std::vector<DecomposeRow> rows = decompose_load(*db_, info.cell);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].undefined_seeds, std::vector<int64_t>{7});
  EXPECT_NE(rows[0].undefined_reason.find("only one strategy"), std::string::npos);
  EXPECT_NEAR(rows[0].gain.mean, -0.2, 1e-12);
  EXPECT_EQ(rows[0].shift.seeds, 0u);
  Table t = decompose_table(rows);
  EXPECT_EQ(t.rows[0][17], Value{}) << "no shift without a defined seed";
  EXPECT_EQ(t.rows[0].back(), Value{std::string("seeds 7: ") + rows[0].undefined_reason});
  try {
    decompose_load(*db_, "x/y");
    ADD_FAILURE() << "an unknown cell is bad input";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no runs of cell 'x/y'"), std::string::npos);
  }
  EXPECT_EQ(query_named(*db_, "decompose", {}).rows.size(), static_cast<size_t>(test::kFixtureCells) + 1);
}

}  // namespace
}  // namespace rlvr::report
