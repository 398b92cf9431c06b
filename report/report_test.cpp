// The report from the fixture database (test_fixture.h): what it loads, draws and refuses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <regex>

#include "report/report_data.h"
#include "report/report_db.h"
#include "report/report_figures.h"
#include "report/report_html.h"
#include "report/test_fixture.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::report {
namespace {

namespace fs = std::filesystem;
using test::FixtureMode;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("rlvr_report_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string db(FixtureMode mode) {
    std::string p = (dir_ / "results.db").string();
    test::fixture_write(p, mode);
    return p;
  }
  fs::path dir_;
};

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST_F(ReportTest, LoadsCellsSeedsAndCurves) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  ASSERT_EQ(d.cells.size(), static_cast<size_t>(test::kFixtureCells));
  EXPECT_EQ(d.all_runs.size(), static_cast<size_t>(test::kFixtureRuns));
  EXPECT_EQ(d.datasets, std::vector<std::string>{test::kFixtureDataset});
  EXPECT_TRUE(d.notes.empty());
  // Sorted by model, then cell; labels drop the model prefix.
  EXPECT_EQ(d.cells[0].cell, "synth-llama-8b-instruct/ground_truth");
  EXPECT_EQ(d.cells[0].label, "ground_truth");
  for (const CellRuns& c : d.cells) {
    ASSERT_EQ(c.seeds.size(), 2u) << c.cell;
    const auto* acc = d.eval_curve(c.seeds[0].id, test::kFixtureDataset, "accuracy");
    ASSERT_NE(acc, nullptr);
    EXPECT_EQ(acc->size(), 3u);  // steps 0, 10, 20
  }
}

TEST_F(ReportTest, FailedSeedIsLeftOutOfGains) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  for (const CellRuns& c : d.cells) {
    auto g = d.gains(c, test::kFixtureDataset, "accuracy");
    bool failing = c.cell == "synth-llama-8b-instruct/random0.5";
    EXPECT_EQ(g.size(), failing ? 1u : 2u) << c.cell;
    for (const RunGain& x : g) {
      auto m0 = st->eval_metrics(x.run, 0, test::kFixtureDataset), m20 = st->eval_metrics(x.run, 20, test::kFixtureDataset);
      EXPECT_EQ(x.last_step, 20);
      EXPECT_DOUBLE_EQ(x.base, m0.at("accuracy"));
      EXPECT_DOUBLE_EQ(x.last, m20.at("accuracy"));
    }
  }
}

TEST_F(ReportTest, StrategySwitchAddsUpToTheGain) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  ASSERT_EQ(d.switches.size(), static_cast<size_t>(test::kFixtureCells));
  for (const SwitchRow& r : d.switches) {
    const CellRuns* cell = nullptr;
    for (const CellRuns& c : d.cells)
      if (c.cell == r.cell) cell = &c;
    ASSERT_NE(cell, nullptr);
    auto gains = d.gains(*cell, r.dataset, "accuracy");
    EXPECT_EQ(r.runs, static_cast<int64_t>(gains.size()));
    EXPECT_EQ(r.pairs, 40 * r.runs);
    EXPECT_EQ(r.n[0] + r.n[1] + r.n[2] + r.n[3], r.pairs);
    int64_t c0 = 0, cl = 0;
    for (int g = 0; g < 4; ++g) c0 += r.correct0[g], cl += r.correct_last[g];
    double mean_gain = 0;
    for (const RunGain& x : gains) mean_gain += (x.last - x.base) / static_cast<double>(gains.size());
    // Every seed has the same 40 problems, so the pooled change is the mean of the seeds' gains.
    EXPECT_NEAR(static_cast<double>(cl - c0) / static_cast<double>(r.pairs), mean_gain, 1e-12) << r.cell;
    if (r.cell.rfind("synth-llama", 0) == 0) EXPECT_EQ(r.n[3], r.pairs) << "llama never writes code";
    else EXPECT_GT(r.n[1], r.n[2]) << "qwen moves toward code";
  }
}

TEST_F(ReportTest, FiguresPageAndFiles) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  auto figs = report_figures(d, nullptr);
  ASSERT_EQ(figs.size(), static_cast<size_t>(test::kFixtureFigures));
  EXPECT_EQ(figs[0].id, "fig-1-accuracy-synth-eval");
  EXPECT_EQ(figs[1].id, "fig-2-code-frequency-synth-eval");
  EXPECT_EQ(figs[2].id, "fig-3-gain-synth-eval");
  EXPECT_EQ(figs[3].id, "fig-4-clip-fraction");
  // Accuracy: 2 model panels; 8 seed lines + 4 means (every cell has a finished seed).
  EXPECT_EQ(count(figs[0].svg, "class=\"panel\""), 2u);
  EXPECT_EQ(count(figs[0].svg, "<path "), 12u);
  EXPECT_EQ(count(figs[0].svg, "stroke-linejoin=\"round\" stroke-dasharray=\"5 3\""), 1u) << "the failed seed is dashed";
  EXPECT_EQ(count(figs[3].svg, "class=\"panel\""), 4u);  // one panel per cell
  std::string html = report_html(d, figs, nullptr);
  EXPECT_EQ(count(html, "<svg"), figs.size());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>&</b>"), std::string::npos) << "fail reason must be escaped";
  EXPECT_NE(html.find("loss is NaN &lt;b&gt;&amp;&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("No golden given"), std::string::npos);
  EXPECT_NE(html.find("0123456789ab"), std::string::npos) << "provenance: commit";
  EXPECT_EQ(std::regex_search(html, std::regex("(src|href)=\"https?:")), false) << "no network";
  // Same database, same bytes.
  ReportData d2 = report_data_load(*st);
  EXPECT_EQ(report_html(d2, report_figures(d2, nullptr), nullptr), html);

  std::string out = (dir_ / "out").string();
  fs::create_directories(out);
  file_write_atomic(out + "/fig-9-stale.svg", "<svg/>");
  report_write(out, html, figs);
  EXPECT_FALSE(fs::exists(out + "/fig-9-stale.svg"));
  EXPECT_EQ(file_read(out + "/index.html"), html);
  for (const Figure& f : figs) EXPECT_EQ(file_read(out + "/" + f.id + ".svg"), f.svg);
}

TEST_F(ReportTest, GoldenBandsAndVerdictTable) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  GoldenView g{"golden/fixture.toml", "suites/fixture.toml", "fixture", {}, 1};
  VerdictRow pass{{"synth-qwen-math-7b/ground_truth", test::kFixtureDataset, "accuracy", 20, 0.5, 0.1, 0.05, "gain", "", false},
                  "PASS", 0.11, 0.02, 0.2, 2, "", std::nullopt, std::nullopt, false};
  VerdictRow reg{{"synth-llama-8b-instruct/random0.5", test::kFixtureDataset, "code_frequency", 20, 0.0, 0.3, 0.05, "gain", "", false},
                 "REGRESSION", 0.0, -0.1, 0.1, 1, "<note>", std::nullopt, std::nullopt, false};
  g.rows = {pass, reg};
  auto figs = report_figures(d, &g);
  EXPECT_EQ(count(figs[2].svg, "stroke-dasharray=\"3 2\""), 2u) << "one band per claim";
  std::string html = report_html(d, figs, &g);
  EXPECT_NE(html.find("<td class=\"REGRESSION\">REGRESSION</td>"), std::string::npos);
  EXPECT_NE(html.find("&lt;note&gt;"), std::string::npos);
  EXPECT_NE(html.find("compare would exit 1"), std::string::npos);
  // A golden of another suite draws no band on this suite's cells.
  g.suite = "other";
  EXPECT_EQ(count(report_figures(d, &g)[2].svg, "stroke-dasharray=\"3 2\""), 0u);
}

TEST_F(ReportTest, CellWithoutEvalsBecomesAVisibleNote) {
  auto st = store_open_existing(db(FixtureMode::partial));
  ReportData d = report_data_load(*st);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_NE(d.notes[0].find(test::kFixtureNoEvalCell), std::string::npos);
  auto figs = report_figures(d, nullptr);
  EXPECT_EQ(figs.size(), static_cast<size_t>(test::kFixtureFigures));
  EXPECT_NE(figs[0].svg.find("no accuracy on synth-eval for this model"), std::string::npos);
  std::string html = report_html(d, figs, nullptr);
  EXPECT_NE(html.find("class=\"notes\""), std::string::npos);
  EXPECT_NE(html.find("no eval rows yet"), std::string::npos);
}

TEST_F(ReportTest, BadDatabasesAreInputErrors) {
  auto load = [&](const std::string& p) { return [p] { auto st = store_open_existing(p); report_data_load(*st); }; };
  EXPECT_NE(input_error(load(db(FixtureMode::empty))).find("no runs in this database"), std::string::npos);
  EXPECT_NE(input_error(load(db(FixtureMode::noevals))).find("no eval rows in any of its 8 runs"), std::string::npos);
  EXPECT_NE(input_error(load(db(FixtureMode::newer))).find("schema version 99 is newer"), std::string::npos);
  EXPECT_NE(input_error(load(db(FixtureMode::notadb))).find("results.db"), std::string::npos);
  std::string missing = (dir_ / "nope.db").string();
  EXPECT_NE(input_error(load(missing)).find("no such database file"), std::string::npos);
  EXPECT_FALSE(fs::exists(missing)) << "a reader must not create a database";
  EXPECT_NE(input_error(load(dir_.string())).find("is a directory"), std::string::npos);
}

// The regime map's layout, in memory: variants BASE-POINT of two bases on one model, one point run for
// one base only, seeds whose gains are known. Rows sort base, then by letters and number.
TEST(ReportVariants, MapFigureRowsIntervalsAndGaps) {
  ReportData d;
  d.datasets = {"synth-eval"};
  int64_t id = 0;
  auto cell = [&](const std::string& label, std::vector<double> gains) {
    CellRuns c{"regime-map", "synth-micro/" + label, "synth-micro", label, label, {}};
    for (size_t k = 0; k < gains.size(); ++k) {
      RunRow r;
      r.id = ++id;
      r.info.seed = static_cast<int64_t>(k) + 1;
      r.status = RunStatus::finished;
      c.seeds.push_back(r);
      d.evals[r.id]["synth-eval"][metric_cstr(Metric::accuracy)] = {{0, 0.5}, {30, 0.5 + gains[k]}};
      d.evals[r.id]["synth-eval"][metric_cstr(Metric::code_frequency)] = {{0, 0.6}, {30, 0.7}};
    }
    d.cells.push_back(c);
  };
  cell("ground_truth", {0.1, 0.2, 0.3});
  cell("ground_truth-upd16", {0.1});
  cell("random0.5", {-0.1, 0.0, 0.1});
  cell("random0.5-upd16", {0.0, 0.0});
  cell("random0.5-upd2", {0.2, 0.2, 0.2});
  cell("random0.5-noclip", {-0.5, -0.4});
  cell("random0.5-clip0.1", {0.0, 0.1});
  auto figs = report_figures(d, nullptr);
  const Figure* v = nullptr;
  for (const Figure& f : figs)
    if (f.id == "fig-5-variants-synth-eval") v = &f;
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(count(v->svg, "class=\"panel\""), 4u) << "2 bases x (accuracy, code frequency)";
  // Row labels in order: base, upd2, upd16 (numeric, not lexical).
  size_t b = v->svg.find("synth-micro \u00b7 base"), u2 = v->svg.find("synth-micro \u00b7 upd2"),
         u16 = v->svg.find("synth-micro \u00b7 upd16");
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(b, u2);
  EXPECT_LT(u2, u16);
  // "noclip" is the clip knob at zero: it sorts with the clip points, before clip0.1.
  size_t nc = v->svg.find("synth-micro \u00b7 noclip"), c1 = v->svg.find("synth-micro \u00b7 clip0.1");
  ASSERT_NE(nc, std::string::npos);
  EXPECT_LT(b, nc);
  EXPECT_LT(nc, c1);
  EXPECT_LT(c1, u2);
  EXPECT_EQ(count(v->svg, ">not run<"), 6u) << "ground_truth-upd2, -noclip, -clip0.1 in both of its panels";
  // ground_truth: gains 10, 20, 30 points: mean 20, 95% interval 20 +- 4.303 * 10 / sqrt(3) = [-4.8, +44.8].
  EXPECT_NE(v->svg.find("mean gain +20.0 points over 3 seed(s), 95% interval [-4.8, +44.8]"), std::string::npos);
  EXPECT_NE(v->svg.find("synth-micro/ground_truth-upd16 accuracy: mean gain +10.0 points over 1 seed(s)<"), std::string::npos)
      << "one seed: no interval";
  GainSummary g = gain_summary(d.gains(d.cells[0], "synth-eval", metric_cstr(Metric::accuracy)));
  EXPECT_EQ(g.seeds, 3u);
  EXPECT_NEAR(g.mean, 0.2, 1e-12);
  EXPECT_NEAR(*g.hi - g.mean, 4.302653 * 0.1 / std::sqrt(3.0), 1e-5);
  // A suite without variants draws no such figure.
  d.cells.erase(d.cells.begin() + 1);
  d.cells.erase(d.cells.begin() + 2, d.cells.end());
  ASSERT_EQ(d.cells.size(), 2u);
  for (const Figure& f : report_figures(d, nullptr)) EXPECT_NE(f.id.rfind("fig-5-", 0), 0u) << f.id;
}

TEST_F(ReportTest, ClaimsSection) {
  auto st = store_open_existing(db(FixtureMode::good));
  ReportData d = report_data_load(*st);
  auto figs = report_figures(d, nullptr);
  EXPECT_NE(report_html(d, figs, nullptr).find("No claims file given"), std::string::npos);
  ClaimRow r;
  r.spec.id = "a";
  r.spec.claim = "random <b> helps";
  r.spec.cell = "synth-micro/random0.5";
  r.spec.paper_text = "+21.4";
  r.verdict = ClaimVerdict::not_reproduced;
  r.value = -0.146, r.lo = -0.168, r.hi = -0.124, r.seeds = 25;
  r.reason = "mean -14.6 is no gain";
  std::vector<ClaimRow> rows = {r};
  std::string html = report_html(d, figs, nullptr, &rows);
  EXPECT_NE(html.find("random &lt;b&gt; helps"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">-14.6</td><td class=\"num\">[-16.8, -12.4]</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td class=\"REGRESSION\">not reproduced on the stand-in</td>"), std::string::npos);
}

TEST_F(ReportTest, SlugsAreFileNameSafe) {
  EXPECT_EQ(slug("synth-eval@8"), "synth-eval-8");
  EXPECT_EQ(slug("../MATH 500"), "..-math-500");
  EXPECT_EQ(slug(""), "-");
}

}  // namespace
}  // namespace rlvr::report
