// golden_test: parsing golden files, the render -> parse round trip, and malformed goldens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "golden/golden.h"
#include "golden/stats.h"
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
  ASSERT_EQ(g.entries.size(), 9u);
  EXPECT_EQ(g.entries[1].cell(), "m-code/ground_truth");
  EXPECT_EQ(g.entries[1].metric, "code_frequency");
  EXPECT_EQ(g.entries[1].dataset, "synth-test");
  EXPECT_EQ(g.entries[1].note, "code share rises");
  EXPECT_DOUBLE_EQ(g.entries[3].gain, 0.0);
  EXPECT_DOUBLE_EQ(g.entries[3].sd_seed, 0.0);  // exact
  EXPECT_EQ(g.entries[3].band, 0.0);
  EXPECT_EQ(golden_statistical_claims(g), 6);
  // The shown band of a statistical claim: t(alpha / m, df) sd_seed sqrt(1 + 1/3) (m = 6 claims).
  EXPECT_NEAR(g.entries[2].band, stats::t_crit(0.05 / 6, 50) * 0.02 * std::sqrt(4.0 / 3), 1e-12);
  EXPECT_NEAR(stats::t_crit(0.05 / 6, 50), 2.75, 0.01);
  EXPECT_EQ(g.entries[6].kind, ClaimKind::contrast);
  EXPECT_EQ(g.entries[6].minus_cell(), "m-code/random0.5-noclip");
  EXPECT_EQ(g.entries[6].label(), "m-code/ground_truth - random0.5-noclip accuracy");
  EXPECT_EQ(g.entries[7].kind, ClaimKind::marker);
  EXPECT_TRUE(g.entries[7].log_scale());
  EXPECT_EQ(g.entries[7].label(), "m-code/ground_truth clip_frac[1..20]");
}

TEST(GoldenLoad, PaperVersions) {
  Golden g = golden_load(data("paper_versions.toml"));
  EXPECT_EQ(g.versions, (std::vector<std::string>{"first", "second"}));
  ASSERT_EQ(g.entries.size(), 3u);
  Golden latest = g;
  EXPECT_EQ(golden_select_version(latest, ""), "second");
  ASSERT_EQ(latest.entries.size(), 1u);
  EXPECT_DOUBLE_EQ(latest.entries[0].gain, 0.25);
  EXPECT_EQ(latest.entries_all_versions, 3u);
  Golden first = g;
  EXPECT_EQ(golden_select_version(first, "first"), "first");
  EXPECT_EQ(first.entries.size(), 2u);
  Golden bad = g;
  EXPECT_THROW(golden_select_version(bad, "third"), InputError);
  Golden plain = golden_load(data("mini.toml"));
  EXPECT_EQ(golden_select_version(plain, ""), "");
  EXPECT_THROW(golden_select_version(plain, "first"), InputError);
  // Round trip keeps the versions.
  auto path = std::filesystem::temp_directory_path() / ("rlvr_golden_versions_" + std::to_string(getpid()) + ".toml");
  std::ofstream(path) << golden_render(g);
  Golden back = golden_load(path.string());
  EXPECT_EQ(back.versions, g.versions);
  EXPECT_EQ(back.entries[1].versions, (std::vector<std::string>{"second"}));
  // Malformed: a version the golden does not declare, a claim without versions, a duplicate within a version.
  struct Bad {
    std::string from, to, message;
  };
  const Bad bads[] = {
      {"versions = [\"second\"]", "versions = [\"third\"]", "cell[1].versions: entry 0: not one of the golden's versions (first, second)"},
      {"versions = [\"second\"]\n", "", "cell[1].versions: missing"},
      {"versions = [\"second\"]", "versions = [\"first\"]", "cell[1].model: duplicate claim m-code/ground_truth accuracy at step 20 in version first"},
      {"versions = [\"first\", \"second\"]", "versions = []", "versions: expected a non-empty array"},
  };
  std::string text = golden_render(g);
  for (const Bad& b : bads) {
    std::string t = text;
    size_t k = b.from == "versions = [\"first\", \"second\"]" ? t.find(b.from) : t.find(b.from, t.find("gain = 0.25"));
    ASSERT_NE(k, std::string::npos) << b.from;
    t.replace(k, b.from.size(), b.to);
    std::ofstream(path) << t;
    try {
      golden_load(path.string());
      ADD_FAILURE() << "accepted: " << b.message;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path.string() + ": " + b.message, 0), 0u) << e.what();
    }
  }
  std::filesystem::remove(path);
}

TEST(GoldenLoad, RefusesAStatisticItDoesNotImplement) {
  try {
    golden_load(data("v1_refused.toml"));
    ADD_FAILURE() << "a version-1 golden was accepted";
  } catch (const InputError& e) {
    std::string w = e.what();
    EXPECT_EQ(w.rfind(data("v1_refused.toml") + ": provenance.statistic_version: statistic 'paired-bootstrap+seed-t' version 1 is not implemented", 0), 0u) << w;
  }
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
    if (!std::isnan(g.entries[i].baseline)) {
      EXPECT_EQ(h.entries[i].baseline, g.entries[i].baseline);
    }
    EXPECT_EQ(h.entries[i].gain, g.entries[i].gain);
    EXPECT_EQ(h.entries[i].band, g.entries[i].band);
    EXPECT_EQ(h.entries[i].kind, g.entries[i].kind);
    EXPECT_EQ(h.entries[i].label(), g.entries[i].label());
    EXPECT_EQ(h.entries[i].sd_seed, g.entries[i].sd_seed);
    if (!std::isnan(g.entries[i].df)) {
      EXPECT_EQ(h.entries[i].df, g.entries[i].df) << i;
    }
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
                      Bad{"sd_seed = 0.03", "sd_seed = \"wide\"", "cell[0].sd_seed: expected a number"},
                      Bad{"sd_seed = 0.03", "sd_seed = -1", "cell[0].sd_seed: must be in [0, 1e+300], got -1"},
                      Bad{"df = 1\n", "", "cell[0].df: missing"},
                      Bad{"sd_seed = 0.03", "sd_seed = 0.03\nband = 0.1", "cell[0].band: unknown field"},
                      Bad{"kind = \"contrast\"", "kind = \"ratio\"", "cell[6].kind: unknown 'ratio' (known: gain, contrast, marker, probe)"},
                      Bad{"minus = \"random0.5-noclip\"", "minus = \"m-lang/random0.5-noclip\"",
                          "cell[6].minus: 'm-lang/random0.5-noclip' is a cell of another model than 'm-code': a contrast compares two cells of one model"},
                      Bad{"minus = \"random0.5-noclip\"", "minus = \"ground_truth\"", "cell[6].minus: the same cell as reward 'ground_truth'"},
                      Bad{"metric = \"clip_frac\"\nstep_from = 1\nstep_to = 20", "metric = \"clip\"\nstep_from = 1\nstep_to = 20",
                          "cell[7].metric: unknown step metric 'clip' (known: clip_frac, approx_kl, entropy, response_length, adv_zero_frac)"},
                      Bad{"step_to = 20", "step_to = 0", "cell[7].step_to: must be in [1, 1000000], got 0"},
                      Bad{"statistic_version = 2", "statistic_version = 4",
                          "provenance.statistic_version: statistic 'seed-noise-holm' version 4 is not implemented by this build (it implements 'seed-permutation-max' version 3, 'seed-noise-holm' version 2 and 'paper-binomial-band' version 1); re-measure with `rlvrbench golden update`"},
                      Bad{"statistic = \"seed-noise-holm\"\nstatistic_version = 2", "statistic = \"seed-permutation-max\"\nstatistic_version = 3",
                          "cell[0].seed_values: missing: a 'seed-permutation-max' golden keeps every seed's value"},
                      Bad{"statistic = \"seed-noise-holm\"\nstatistic_version = 2\n", "statistic = \"seed-permutation-max\"\nstatistic_version = 3\n[[cell]]\nmodel = \"m-code\"\nreward = \"x\"\nmetric = \"accuracy\"\nstep = 1\nbaseline = 0.1\ngain = 0.1\nsd_seed = 0.1\nseed_values = [0.1, 0.2]\n",
                          "cell[0].seed_values: 2 values for 3 seeds (provenance.seeds)"},
                      Bad{"statistic = \"seed-noise-holm\"\nstatistic_version = 2\n", "statistic = \"seed-permutation-max\"\nstatistic_version = 3\n[[cell]]\nmodel = \"m-code\"\nreward = \"x\"\nmetric = \"accuracy\"\nstep = 1\nbaseline = 0.1\ngain = 0.1\nsd_seed = 0.1\nseed_values = [0.1, 0.2, \"a\"]\n",
                          "cell[0].seed_values: entry 2: expected a number"},
                      Bad{"gain = 0.32", "gain = 0.7", "cell[0].gain: baseline + gain must lie in [0, 1]"},
                      Bad{"metric = \"accuracy\"", "metric = \"acc\"", "cell[0].metric: unknown 'acc' (known: accuracy, code_frequency)"},
                      Bad{"step = 20", "step = 20\nsteps = 3", "cell[0].steps: unknown field"},
                      Bad{"metric = \"code_frequency\"", "metric = \"accuracy\"",
                          "cell[1].model: duplicate claim m-code/ground_truth accuracy at step 20"},
                      Bad{"source = \"measured\"", "source = \"guess\"", "provenance.source: expected \"measured\" or \"paper\", got 'guess'"},
                      Bad{"seeds = [1, 2, 7]", "seeds = []", "provenance.seeds: a measured golden names its seeds"},
                      Bad{"statistic_version = 2\n", "", "provenance.statistic_version: missing"}),
    [](const ::testing::TestParamInfo<Bad>& i) { return std::to_string(i.index); });

// Probe claims: the fields a bound needs, and what a probe claim may not carry.
constexpr const char* kProbeGolden = R"(suite = "probe-mini"
dataset = "synth-test"
[provenance]
source = "measured"
date = "2026-12-02"
platform = "test"
commit = "abc"
seeds = [1, 2]
statistic = "seed-noise-holm"
statistic_version = 2
[[cell]]
kind = "probe"
model = "m-clean"
reward = "probe"
metric = "probe_exact_match"
value = 0.005
max = 0.05
)";

class GoldenProbeBad : public ::testing::TestWithParam<Bad> {};

TEST_P(GoldenProbeBad, InputErrorNamesFileAndField) {
  std::string text = kProbeGolden;
  if (!GetParam().edit_from.empty()) {
    auto pos = text.find(GetParam().edit_from);
    ASSERT_NE(pos, std::string::npos) << GetParam().edit_from;
    text.replace(pos, GetParam().edit_from.size(), GetParam().edit_to);
  }
  auto path = (std::filesystem::temp_directory_path() / ("rlvr_golden_probe_" + std::to_string(getpid()) + ".toml")).string();
  std::ofstream(path) << text;
  if (GetParam().message.empty()) {
    Golden g = golden_load(path);  // the base text parses
    ASSERT_EQ(g.entries.size(), 1u);
    EXPECT_EQ(g.entries[0].kind, ClaimKind::probe);
    EXPECT_EQ(g.entries[0].bound_max, 0.05);
    EXPECT_EQ(golden_statistical_claims(g), 0);
  } else {
    try {
      golden_load(path);
      ADD_FAILURE() << "no error for " << GetParam().edit_to;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), path + ": " + GetParam().message);
    }
  }
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GoldenProbeBad,
    ::testing::Values(Bad{"", "", ""},
                      Bad{"max = 0.05\n", "", "cell[0].max: missing: a probe claim needs max (clean) or min (contaminated)"},
                      Bad{"max = 0.05", "max = 1.5", "cell[0].max: must be in [0, 1], got 1.5"},
                      Bad{"max = 0.05", "max = 0.05\nmin = 0.1", "cell[0].min: above max"},
                      Bad{"probe_exact_match", "probe_bleu",
                          "cell[0].metric: unknown probe metric 'probe_bleu' (known: probe_exact_match, probe_rouge_l, probe_accuracy)"},
                      Bad{"max = 0.05", "max = 0.05\nsd_seed = 0.01", "cell[0].sd_seed: unknown field"},
                      Bad{"max = 0.05", "max = 0.05\nstep = 3", "cell[0].step: unknown field"},
                      Bad{"value = 0.005", "value = -0.1", "cell[0].value: must be in [0, 1], got -0.1"}),
    [](const ::testing::TestParamInfo<Bad>& i) { return std::to_string(i.index); });

}  // namespace
}  // namespace rlvr
