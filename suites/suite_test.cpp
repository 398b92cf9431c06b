// suite_test: expansion of tests/data/suites/*.toml and the one-line errors of malformed suites.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "suites/suite.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace rlvr {
namespace {

std::string data(const std::string& name) { return test::test_data() + "/suites/" + name; }

const SuiteCell& cell(const std::vector<SuiteCell>& cells, const std::string& name) {
  for (const auto& c : cells)
    if (c.name == name) return c;
  throw std::runtime_error("no cell " + name);
}

TEST(SuiteExpand, MiniMatrixWithOverrides) {
  auto cells = suite_expand(data("mini.toml"));
  std::vector<std::string> names;
  for (const auto& c : cells) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"mini/m-code/ground_truth/1", "mini/m-code/ground_truth/2",
                                             "mini/m-code/random0.5/7", "mini/m-code/random0.5-noclip/1",
                                             "mini/m-code/random0.5-noclip/2", "mini/m-lang/ground_truth/1",
                                             "mini/m-lang/ground_truth/2", "mini/m-lang/random0.5/7"}));

  const SuiteCell& gt = cell(cells, "mini/m-code/ground_truth/2");
  EXPECT_EQ(gt.suite, "mini");
  EXPECT_EQ(gt.cell, "m-code/ground_truth");
  EXPECT_EQ(gt.family, "qwen2");
  EXPECT_EQ(gt.seed, 2);
  EXPECT_EQ(gt.steps, 20);          // M/R override
  EXPECT_EQ(gt.timeout_s, 300);     // M/* override
  EXPECT_EQ(gt.dataset, "synth-test");
  EXPECT_FALSE(gt.gpu);
  EXPECT_EQ(gt.set, (std::map<std::string, std::string>{{"data.eval_name", "synth-test"},
                                                         {"eval.every", "5"},
                                                         {"model.name", "m-code"},
                                                         {"reward.name", "ground_truth"},
                                                         {"train.temperature", "1.0"},
                                                         {"tag", "mini run"},
                                                         {"train.lr", "3e-05"},
                                                         {"run.seed", "2"},
                                                         {"train.steps", "20"},
                                                         {"train.updates_per_rollout", "4"}}));
  EXPECT_EQ(gt.labels, (std::vector<std::string>{"suite", "mini", "m-code", "qwen2", "ground_truth", "cpu"}));

  // The ablation: its own label, the reward function of its parent, clipping off.
  const SuiteCell& nc = cell(cells, "mini/m-code/random0.5-noclip/1");
  EXPECT_EQ(nc.reward, "random0.5-noclip");
  EXPECT_EQ(nc.set.at("reward.name"), "random0.5");
  EXPECT_EQ(nc.set.at("train.clip"), "false");
  EXPECT_EQ(nc.steps, 10);
  EXPECT_EQ(nc.timeout_s, 300);
  EXPECT_EQ(nc.labels, (std::vector<std::string>{"suite", "mini", "m-code", "qwen2", "random0.5-noclip", "random0.5", "cpu"}));

  // Model-level set, then the */R seeds override; defaults elsewhere.
  const SuiteCell& lr = cell(cells, "mini/m-lang/random0.5/7");
  EXPECT_EQ(lr.set.at("train.lr"), "2e-05");
  EXPECT_EQ(lr.set.at("run.seed"), "7");
  EXPECT_EQ(lr.timeout_s, 120);
  EXPECT_EQ(lr.family, "llama");
}

TEST(SuiteExpand, InfoAndGpu) {
  Suite s = suite_load(data("gpu.toml"));
  EXPECT_EQ(s.info.name, "gpu");  // from the file name
  EXPECT_EQ(s.info.device, "gpu");
  EXPECT_EQ(s.info.golden, "golden/gpu.toml");
  ASSERT_EQ(s.cells.size(), 1u);
  EXPECT_TRUE(s.cells[0].gpu);
  EXPECT_EQ(s.cells[0].name, "gpu/Qwen2.5-Math-7B/format/3");
  EXPECT_EQ(s.cells[0].labels.back(), "gpu");
  EXPECT_EQ(&suite_cell_find(s, "gpu/Qwen2.5-Math-7B/format/3"), &s.cells[0]);
  EXPECT_THROW(suite_cell_find(s, "gpu/Qwen2.5-Math-7B/format/4"), InputError);
}

TEST(SuiteExpand, Ranks) {
  Suite s = suite_load(data("ranks.toml"));
  ASSERT_EQ(s.cells.size(), 2u);
  EXPECT_EQ(suite_cell_find(s, "ranks/Qwen2.5-Math-7B/format/1").ranks, 2);
  EXPECT_EQ(suite_cell_find(s, "ranks/Qwen2.5-Math-7B/random0.5/1").ranks, 4);  // the override wins
  EXPECT_NE(suite_render_cmake(s).find("GPU ON RANKS 4 LABELS"), std::string::npos);
  EXPECT_NE(suite_render_json(s).find("\"ranks\": 4"), std::string::npos);
  EXPECT_EQ(suite_cell_find(suite_load(data("gpu.toml")), "gpu/Qwen2.5-Math-7B/format/3").ranks, 1);  // the default
}

TEST(SuiteRender, RunTomlIsTypedAndNested) {
  auto cells = suite_expand(data("mini.toml"));
  std::string t = suite_cell_run_toml(cell(cells, "mini/m-code/random0.5-noclip/1"));
  for (const char* want : {"tag = \"mini run\"\n", "\n[train]\nclip = false\nlr = 1e-05\nsteps = 10\ntemperature = 1.0\n",
                           "\n[reward]\nname = \"random0.5\"\n", "\n[data]\neval_name = \"synth-test\"\n", "\n[eval]\nevery = 5\n",
                           "\n[run]\nseed = 1\n"})
    EXPECT_NE(t.find(want), std::string::npos) << want << " not in:\n" << t;
  auto args = suite_cell_set_args(cells[0]);
  EXPECT_EQ(args.front(), "data.eval_name=synth-test");
  EXPECT_NE(std::find(args.begin(), args.end(), "train.steps=20"), args.end());
}

TEST(SuiteRender, CmakeAndJson) {
  Suite s = suite_load(data("mini.toml"));
  std::string c = suite_render_cmake(s);
  EXPECT_NE(c.find("rlvr_suite(NAME mini FILE [==[" + data("mini.toml") + "]==] DEVICE cpu ZOO ON"), std::string::npos) << c;
  EXPECT_NE(c.find("rlvr_suite_cell(SUITE mini NAME mini/m-code/random0.5/7 MODEL m-code FAMILY qwen2 REWARD random0.5 "
                   "SEED 7 STEPS 10 TIMEOUT 300 GPU OFF RANKS 1 LABELS suite mini m-code qwen2 random0.5 cpu)"),
            std::string::npos)
      << c;
  std::string j = suite_render_json(s);
  EXPECT_NE(j.find("\"name\": \"mini/m-lang/random0.5/7\""), std::string::npos);
}

// Malformed suites: each exits 2 with one line naming the file and the field.
struct Bad {
  std::string body;
  std::string message;  // what follows "FILE: "
};

constexpr const char* kTwoForScience =
    "seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"qwen2\" }]\n"
    "rewards = [\"format\", \"random0.5\"]\ncontrasts = [\"m/random0.5 - format\"]\n[eval]\ndataset = \"d\"\n";

// [science]: strings and tables, a no-gain claim with its margin, a contrast the suite declares.
TEST(SuiteScience, ReadsClaimsAlphaDetect) {
  auto path = std::filesystem::temp_directory_path() / ("rlvr_suite_sci_" + std::to_string(getpid()) + ".toml");
  std::ofstream(path) << kTwoForScience
                      << "[science]\nclaims = [\"m/format accuracy\", { claim = \"m/random0.5 - format accuracy\", expect = \"no_gain\", margin = 0.05 }]\n"
                         "alpha = 0.01\n";
  Suite s = suite_load(path.string());
  ASSERT_EQ(s.info.science.size(), 2u);
  EXPECT_FALSE(s.info.science[0].no_gain);
  EXPECT_TRUE(s.info.science[1].no_gain);
  EXPECT_DOUBLE_EQ(s.info.science[1].margin, 0.05);
  EXPECT_DOUBLE_EQ(s.info.science_alpha, 0.01);
  EXPECT_DOUBLE_EQ(s.info.science_detect, 0.5);  // the default
  EXPECT_NE(s.info.science_find("m/random0.5 - format accuracy"), nullptr);
  EXPECT_EQ(s.info.science_find("m/format clip_frac"), nullptr);
  std::filesystem::remove(path);
}

class SuiteBad : public ::testing::TestWithParam<Bad> {};

constexpr const char* kOk =
    "seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"qwen2\" }]\n"
    "rewards = [\"format\"]\n[eval]\ndataset = \"d\"\n";

// Two models, two rewards, without [eval] (each case appends its top-level keys, then [eval]).
constexpr const char* kTwo =
    "seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"qwen2\" }, { name = \"n\", family = \"llama\" }]\n"
    "rewards = [\"format\", \"random0.5\"]\n";

TEST_P(SuiteBad, InputErrorNamesFileAndField) {
  auto dir = std::filesystem::temp_directory_path() / ("rlvr_suite_bad_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "bad.toml").string();
  std::ofstream(path) << GetParam().body;
  try {
    suite_load(path);
    ADD_FAILURE() << "no error for:\n" << GetParam().body;
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": " + GetParam().message);
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SuiteBad,
    ::testing::Values(
        Bad{"seeds = [1]\nsteps = 5\ntimeout_s = 60\nrewards = [\"format\"]\n[eval]\ndataset = \"d\"\n", "models: missing or empty"},
        Bad{"seeds = [1]\nsteps = -5\n", "steps: must be in [0, 1000000], got -5"},
        Bad{"seeds = []\n", "seeds: must not be empty"},
        Bad{std::string(kOk) + "[seed_ranges]\ngolden = [1, 25]\ncontrol = [20, 30]\n",
            "seed_ranges.control: overlaps seed_ranges.golden: a seed has one role (golden, control, mutant or confirm)"},
        Bad{std::string(kOk) + "[seed_ranges]\nmutant = [9, 3]\n", "seed_ranges.mutant: expected [lo, hi] with lo <= hi"},
        Bad{std::string(kOk) + "[seed_ranges]\nheld_out = [1, 3]\n", "seed_ranges.held_out: unknown field"},
        // [science]: pre-registered science claims
        Bad{std::string(kOk) + "[science]\nclaims = []\n", "science.claims: missing or empty: the claims the suite pre-registers as its science"},
        Bad{std::string(kOk) + "[science]\nclaims = [\"m/format accuracy\"]\nalpha = 0.05\n",
            "science.alpha: must be below the golden's 0.05: the telemetry family needs a share"},
        Bad{std::string(kOk) + "[science]\nclaims = [{ claim = \"m/format accuracy\", expect = \"no_gain\" }]\n",
            "science.claims[0].margin: missing: a no_gain claim is tested for equivalence within +-margin, which it must state"},
        Bad{std::string(kOk) + "[science]\nclaims = [{ claim = \"m/format accuracy\", expect = \"gains\" }]\n",
            "science.claims[0].expect: expected \"gain\" or \"no_gain\", got 'gains'"},
        Bad{std::string(kOk) + "[science]\nclaims = [\"m/format clip_frac\"]\n",
            "science.claims[0]: 'm/format clip_frac' does not end in a gain metric (a science claim is a gain or a contrast)"},
        Bad{std::string(kOk) + "[science]\nclaims = [\"m/python accuracy\"]\n",
            "science.claims[0]: 'm/python' is neither a cell nor a declared contrast of the suite"},
        Bad{std::string(kOk) + "[science]\nclaims = [\"m/format accuracy\", \"m/format accuracy\"]\n",
            "science.claims[1]: duplicate 'm/format accuracy'"},
        Bad{std::string(kOk) + "[science]\nclaims = [\"m/format accuracy\"]\ndetect = 2\n", "science.detect: must be in [1e-06, 1], got 2"},
        Bad{"seeds = [1, 1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"qwen2\" }]\n"
            "rewards = [\"format\"]\n[eval]\ndataset = \"d\"\n",
            "seeds: duplicate seed"},
        Bad{"device = \"tpu\"\n", "device: expected \"cpu\" or \"gpu\", got 'tpu'"},
        Bad{"seeds = [1]\nsteps = 5\ntimeout_s = 60\nranks = 0\n", "ranks: must be in [1, 256], got 0"},
        Bad{"seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\" }]\n", "models[0].family: missing"},
        Bad{"seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m/x\", family = \"q\" }]\n",
            "models[0].name: 'm/x' may only hold letters, digits and . _ - +"},
        Bad{"seeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"q\" }]\n"
            "rewards = [\"format\", { name = \"x\", reward = \"format\", set = { train.steps = 3 } }]\n",
            "rewards[1].set.train.steps: set by the suite's 'steps' field, not here"},
        Bad{std::string(kOk).append("colour = [3]\n"), "eval.colour: expected a string, number or boolean"},
        Bad{"stepz = 5\nseeds = [1]\nsteps = 5\ntimeout_s = 60\nmodels = [{ name = \"m\", family = \"qwen2\" }]\n"
            "rewards = [\"format\"]\n[eval]\ndataset = \"d\"\n",
            "stepz: unknown field"},
        Bad{std::string(kOk).append("[overrides.\"m/python\"]\nsteps = 3\n"),
            "overrides.m/python: no reward 'python' in rewards"},
        Bad{std::string(kOk).append("[overrides.\"m/format\"]\nstep = 3\n"), "overrides.m/format.step: unknown field"},
        Bad{std::string(kOk).append("[overrides.\"m/format\"]\nskip = true\n"), "overrides: every cell is skipped"},
        Bad{std::string(kOk).append("[defaults]\ntrain.betas = [0.9, 0.95]\n"),
            "defaults.train.betas: expected a string, number or boolean"},
        // mutants
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"m/random0.5\"]\nset = { train.clip = false }\n"),
            "mutant[0].cells[0]: 'm/random0.5' matches no cell of the suite"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*/format\"]\n"), "mutant[0].set: missing or empty: a mutant changes at least one run key"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { run.seed = 3 }\n"),
            "mutant[0].set.run.seed: set by the suite's 'seeds' field, not here"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\nexpect = \"maybe\"\n"),
            "mutant[0].expect: expected \"caught\", \"missed\" or \"traced\", got 'maybe'"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\nrung = 0.1\n"),
            "mutant[0].rung: a rung belongs to a ladder: give ladder = \"NAME\" too"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\nladder = \"clip\"\n"),
            "mutant[0].rung: missing"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\nbreaks = [\"m/python accuracy\"]\n"),
            "mutant[0].breaks[0]: 'm/python accuracy' is not \"MODEL/REWARD METRIC\" of a cell this mutant changes"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\n"
                                    "[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.lr = 1e-5 }\n"),
            "mutant[1].name: duplicate 'x'"},
        Bad{std::string(kOk).append("[power]\nci_mutants = [\"x\"]\nci_seeds = [4]\n"), "power.ci_mutants[0]: no [[mutant]] named 'x'"},
        Bad{std::string(kOk).append("[[mutant]]\nname = \"x\"\ncells = [\"*\"]\nset = { train.clip = false }\n[power]\nci_mutants = [\"x\"]\n"),
            "power.ci_seeds: missing: the fresh seeds the CI power check runs on"},
        // contrasts
        Bad{std::string(kTwo).append("contrasts = [\"m/format - python\"]\n[eval]\ndataset = \"d\"\n"), "contrasts[0]: no cell 'm/python' in the suite"},
        Bad{std::string(kTwo).append("contrasts = [\"m/format - n/random0.5\"]\n[eval]\ndataset = \"d\"\n"),
            "contrasts[0]: 'n/random0.5' is a cell of another model than 'm/format': a contrast compares two cells of one model"},
        Bad{std::string(kTwo).append("contrasts = [\"format minus random0.5\"]\n[eval]\ndataset = \"d\"\n"),
            "contrasts[0]: expected \"MODEL/A - B\", got 'format minus random0.5'"}),
    [](const ::testing::TestParamInfo<Bad>& i) { return std::to_string(i.index); });

TEST(SuiteMutants, ExpandOverTheCellsTheyName) {
  auto dir = std::filesystem::temp_directory_path() / ("rlvr_suite_mut_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "s.toml").string();
  std::ofstream(path) << kTwo << "contrasts = [\"m/format - random0.5\"]\n[eval]\ndataset = \"d\"\n"
                      << "[[mutant]]\nname = \"inv\"\ncells = [\"m/*\"]\nset = { reward.name = \"inverse_math\", train.clip = false }\n"
                      << "breaks = [\"m/format accuracy\"]\nexpect = \"missed\"\n";
  Suite s = suite_load(path, {3, 4});
  ASSERT_EQ(s.mutants.size(), 1u);
  EXPECT_FALSE(s.mutants[0].expect_caught);
  EXPECT_EQ(s.info.contrasts, (std::vector<std::pair<std::string, std::string>>{{"m/format", "m/random0.5"}}));
  auto cells = suite_mutant_cells(s, s.mutants[0]);
  ASSERT_EQ(cells.size(), 4u);  // m/format and m/random0.5, seeds 3 and 4
  EXPECT_EQ(cells[0].name, "s/m/format/3@inv");
  EXPECT_EQ(cells[0].cell, "m/format");
  EXPECT_EQ(cells[0].set.at("reward.name"), "inverse_math");
  EXPECT_EQ(cells[0].set.at("train.clip"), "false");
  EXPECT_EQ(cells[0].set.at("run.mutant"), "inv");
  EXPECT_TRUE(suite_pattern_match("*", "n/format"));
  EXPECT_TRUE(suite_pattern_match("*/format", "n/format"));
  EXPECT_FALSE(suite_pattern_match("m/*", "n/format"));
  EXPECT_THROW(suite_mutant_find(s, "clip-off", "--mutants"), InputError);
  std::filesystem::remove_all(dir);
}

TEST(SuiteBadFile, SyntaxErrorNamesLine) {
  auto path = std::filesystem::temp_directory_path() / ("rlvr_suite_syntax_" + std::to_string(getpid()) + ".toml");
  std::ofstream(path) << "seeds = [1]\nsteps = = 5\n";
  try {
    suite_load(path.string());
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path.string() + ":2:", 0), 0u) << e.what();
  }
  std::filesystem::remove(path);
  EXPECT_THROW(suite_load("/nonexistent/suite.toml"), InputError);
}

}  // namespace
}  // namespace rlvr

namespace {

TEST(SuiteSeeds, OverrideReplacesTheSuitesSeeds) {
  using namespace rlvr;
  auto base = suite_load(test::test_data() + "/suites/mini.toml");
  auto three = suite_load(test::test_data() + "/suites/mini.toml", suite_seeds_parse("--seeds", "4,5,6"));
  EXPECT_EQ(three.info.seeds, (std::vector<int64_t>{4, 5, 6}));
  for (const auto& c : three.cells) EXPECT_TRUE(c.seed >= 4 && c.seed <= 6) << c.name;
  EXPECT_GT(three.cells.size(), 0u);
  EXPECT_TRUE(suite_seeds_parse("--seeds", "").empty());
  EXPECT_THROW(suite_seeds_parse("--seeds", "1,,2"), InputError);
  EXPECT_THROW(suite_seeds_parse("--seeds", "1,1"), InputError);
  EXPECT_THROW(suite_seeds_parse("--seeds", "x"), InputError);
  (void)base;
}

}  // namespace
