// golden_test: parsing golden files, the render -> parse round trip, and malformed goldens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "golden/golden.h"
#include "suites/suite.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace rlvr {
namespace {

std::string data(const std::string& name) { return test::test_data() + "/golden/" + name; }

TEST(GoldenLoad, Mini) {
  Golden g = golden_load(data("mini.toml"));
  EXPECT_EQ(g.suite, "mini");
  EXPECT_EQ(g.provenance.source, "measured");
  EXPECT_EQ(g.provenance.seeds, (std::vector<int64_t>{1, 2, 7}));
  ASSERT_EQ(g.entries.size(), 6u);
  EXPECT_EQ(g.entries[1].cell(), "m-code/ground_truth");
  EXPECT_EQ(g.entries[1].metric, "code_frequency");
  EXPECT_EQ(g.entries[1].dataset, "synth-test");
  EXPECT_EQ(g.entries[1].note, "code share rises");
  EXPECT_DOUBLE_EQ(g.entries[3].gain, 0.0);
  EXPECT_DOUBLE_EQ(g.entries[3].band, 0.02);
}

TEST(GoldenLoad, RenderRoundTrip) {
  Golden g = golden_load(data("mini.toml"));
  g.provenance.note = "quote \" and backslash \\ survive";
  g.entries[0].measured = {{"seeds", 2}, {"se", 0.0123}};
  g.entries[2].dataset = "other";
  auto path = std::filesystem::temp_directory_path() / ("rlvr_golden_rt_" + std::to_string(getpid()) + ".toml");
  std::ofstream(path) << golden_render(g);
  Golden h = golden_load(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(h.provenance.note, g.provenance.note);
  ASSERT_EQ(h.entries.size(), g.entries.size());
  for (size_t i = 0; i < g.entries.size(); ++i) {
    EXPECT_EQ(h.entries[i].cell(), g.entries[i].cell());
    EXPECT_EQ(h.entries[i].dataset, g.entries[i].dataset);
    EXPECT_EQ(h.entries[i].baseline, g.entries[i].baseline);
    EXPECT_EQ(h.entries[i].gain, g.entries[i].gain);
    EXPECT_EQ(h.entries[i].band, g.entries[i].band);
    EXPECT_EQ(h.entries[i].measured, g.entries[i].measured);
  }
}

TEST(GoldenLoad, PaperGoldenParses) {
  Golden g = golden_load(test::source_dir() + "/golden/paper.toml");
  EXPECT_EQ(g.provenance.source, "paper");
  EXPECT_GE(g.entries.size(), 24u);  // 4 models x 6 rewards at step 150, at least
}

// Every claim of the paper golden is about a cell of suites/paper.toml, at a step its runs evaluate.
TEST(GoldenLoad, PaperGoldenMatchesPaperSuite) {
  Golden g = golden_load(test::source_dir() + "/golden/paper.toml");
  Suite s = suite_load(test::source_dir() + "/suites/paper.toml");
  ASSERT_EQ(g.suite, s.info.name);
  for (const auto& e : g.entries) {
    const SuiteCell* c = nullptr;
    for (const auto& x : s.cells)
      if (x.cell == e.cell()) c = &x;
    ASSERT_NE(c, nullptr) << e.cell();
    EXPECT_EQ(e.dataset, c->dataset) << e.cell();
    EXPECT_LE(e.step, c->steps) << e.cell() << " step " << e.step;
    EXPECT_EQ(e.step % std::stoll(c->set.at("eval.every")), 0) << e.cell() << " step " << e.step;
  }
}

struct Bad {
  std::string edit_from, edit_to, message;
};
class GoldenBad : public ::testing::TestWithParam<Bad> {};

TEST_P(GoldenBad, InputErrorNamesFileAndField) {
  std::ifstream in(data("mini.toml"));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto pos = text.find(GetParam().edit_from);
  ASSERT_NE(pos, std::string::npos) << GetParam().edit_from;
  text.replace(pos, GetParam().edit_from.size(), GetParam().edit_to);
  auto path = (std::filesystem::temp_directory_path() / ("rlvr_golden_bad_" + std::to_string(getpid()) + ".toml")).string();
  std::ofstream(path) << text;
  try {
    golden_load(path);
    ADD_FAILURE() << "no error for " << GetParam().edit_to;
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": " + GetParam().message);
  }
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GoldenBad,
    ::testing::Values(Bad{"suite = \"mini\"\n", "", "suite: missing"},
                      Bad{"band = 0.03", "band = \"wide\"", "cell[0].band: expected a number"},
                      Bad{"band = 0.03", "band = 0", "cell[0].band: must be > 0"},
                      Bad{"gain = 0.32", "gain = 0.7", "cell[0].gain: baseline + gain must lie in [0, 1]"},
                      Bad{"metric = \"accuracy\"", "metric = \"acc\"", "cell[0].metric: unknown 'acc' (known: accuracy, code_frequency)"},
                      Bad{"step = 20", "step = 20\nsteps = 3", "cell[0].steps: unknown field"},
                      Bad{"metric = \"code_frequency\"", "metric = \"accuracy\"",
                          "cell[1].model: duplicate claim for m-code/ground_truth accuracy at step 20"},
                      Bad{"source = \"measured\"", "source = \"guess\"", "provenance.source: expected \"measured\" or \"paper\", got 'guess'"},
                      Bad{"seeds = [1, 2, 7]", "seeds = []", "provenance.seeds: a measured golden names its seeds"},
                      Bad{"statistic_version = 1\n", "", "provenance.statistic_version: missing"}),
    [](const ::testing::TestParamInfo<Bad>& i) { return std::to_string(i.index); });

}  // namespace
}  // namespace rlvr
