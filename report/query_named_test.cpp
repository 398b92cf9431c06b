// Named queries and --sql on the fixture database.
#include "report/query_named.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "report/report_data.h"
#include "results/schema.h"
#include "report/test_fixture.h"
#include "util/error.h"

namespace rlvr::report {
namespace {

namespace fs = std::filesystem;

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("rlvr_query_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
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
  std::string error(const std::function<void()>& f) {
    try {
      f();
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no InputError)";
  }
  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ReadOnlyDb> db_;
};

size_t col(const Table& t, const std::string& name) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST_F(QueryTest, CellsAndRuns) {
  Table cells = query_named(*db_, "cells", {});
  ASSERT_EQ(cells.rows.size(), static_cast<size_t>(test::kFixtureCells));
  EXPECT_EQ(cells.rows[0][col(cells, "cell")], Value{std::string("synth-llama-8b-instruct/ground_truth")});
  EXPECT_EQ(cells.rows[0][col(cells, "seeds")], Value{std::string("1,2")});
  EXPECT_EQ(cells.rows[1][col(cells, "failed")], Value{int64_t{1}});
  EXPECT_EQ(cells.rows[0][col(cells, "last_eval_step")], Value{int64_t{20}});
  Table runs = query_named(*db_, "runs", {});
  EXPECT_EQ(runs.rows.size(), static_cast<size_t>(test::kFixtureRuns));
}

TEST_F(QueryTest, GainsMatchTheReport) {
  Table g = query_named(*db_, "gains", {});
  ReportData d = report_data_load(*store_);
  ASSERT_EQ(g.rows.size(), d.cells.size());
  for (size_t i = 0; i < g.rows.size(); ++i) {
    const CellRuns& c = d.cells[i];
    EXPECT_EQ(g.rows[i][col(g, "cell")], Value{c.cell});
    auto gains = d.gains(c, test::kFixtureDataset, "accuracy");
    double mean = 0;
    for (const RunGain& x : gains) mean += (x.last - x.base) / static_cast<double>(gains.size());
    EXPECT_NEAR(std::get<double>(g.rows[i][col(g, "mean_gain")]), mean, 1e-12) << c.cell;
    EXPECT_EQ(g.rows[i][col(g, "n_seeds")], Value{static_cast<int64_t>(gains.size())});
  }
}

TEST_F(QueryTest, CurvesOfOneCell) {
  QueryArgs a;
  a.cell = "synth-qwen-math-7b/random0.5";
  Table t = query_named(*db_, "curves", a);
  EXPECT_EQ(t.rows.size(), 6u);  // 2 seeds x steps 0, 10, 20
  EXPECT_EQ(t.columns.back(), "accuracy");
  a.metric = "clip_frac_high";
  t = query_named(*db_, "curves", a);
  EXPECT_EQ(t.rows.size(), 40u);  // 2 seeds x 20 steps
  EXPECT_EQ(t.rows[0][col(t, "source")], Value{std::string("train")});
  a.metric = "nope";
  EXPECT_NE(error([&] { query_named(*db_, "curves", a); }).find("step metrics: clip_frac_high, clip_frac_low, reward_mean"),
            std::string::npos);
  a.cell = "x/y";
  EXPECT_NE(error([&] { query_named(*db_, "curves", a); }).find("no runs of cell 'x/y' (cells: synth-llama"), std::string::npos);
  EXPECT_NE(error([&] { query_named(*db_, "curves", {}); }).find("needs --cell"), std::string::npos);
}

TEST_F(QueryTest, VerdictsNeedAGoldenUnknownNamesAreListed) {
  EXPECT_NE(error([&] { query_named(*db_, "verdicts", {}); }).find("needs a golden"), std::string::npos);
  EXPECT_NE(error([&] { query_named(*db_, "frob", {}); }).find("named queries: cells, curves, decompose, gains, metrics, runs, verdicts"),
            std::string::npos);
  GoldenView g{"g.toml", "s.toml", "fixture", {}, 0};
  VerdictRow row;  // built field by field: GCC 12 warns (falsely) on the nested brace form
  row.claim.cell = "m/r";
  row.claim.dataset = "d";
  row.claim.metric = "accuracy";
  row.claim.step = 20;
  row.verdict = "PASS";
  row.note = "missing";
  g.rows.push_back(row);
  QueryArgs a;
  a.golden = &g;
  Table t = query_named(*db_, "verdicts", a);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][col(t, "verdict")], Value{std::string("PASS")});
  EXPECT_EQ(t.rows[0][col(t, "gain")], Value{});
}

TEST_F(QueryTest, SqlIsReadOnlyAndOneStatement) {
  Table t = db_->query("SELECT COUNT(*) AS n FROM runs", {}, "--sql");
  EXPECT_EQ(t.rows[0][0], Value{int64_t{test::kFixtureRuns}});
  EXPECT_NE(error([&] { db_->query("DELETE FROM runs", {}, "--sql"); }).find("--sql: only read-only statements"),
            std::string::npos);
  EXPECT_NE(error([&] { db_->query("SELECT 1; DELETE FROM runs", {}, "--sql"); }).find("one SQL statement only"),
            std::string::npos);
  EXPECT_NE(error([&] { db_->query("SELEC nonsense", {}, "--sql"); }).find("--sql: SQL error"), std::string::npos);
  EXPECT_NE(error([&] { db_->query("   ", {}, "--sql"); }).find("empty SQL"), std::string::npos);
  // Even a statement SQLite calls read-only cannot write through this connection.
  EXPECT_NE(error([&] { db_->query("PRAGMA user_version = 5", {}, "--sql"); }), "(no InputError)");
  EXPECT_EQ(db_->query("SELECT COUNT(*) FROM runs").rows[0][0], Value{int64_t{test::kFixtureRuns}});
  EXPECT_EQ(db_->query("PRAGMA user_version").rows[0][0], Value{kSchemaVersion});
  EXPECT_EQ(db_->query("SELECT 1;  ").rows.size(), 1u) << "a trailing semicolon is fine";
}

}  // namespace
}  // namespace rlvr::report
