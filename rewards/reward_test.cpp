// Rewards by name, the seeded random reward, modifiers, detectors.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <random>
#include <string>

#include "rewards/detect.h"
#include "rewards/reward.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace rlvr::rewards {
namespace {

double run(const std::string& name, const std::string& response, const std::string& gold = "5",
           uint64_t seed = 0, int64_t step = 0, const std::string& pid = "p0", int64_t sample = 0) {
  Reward r = reward_make(name, seed);
  return r({response, gold, pid, sample, step});
}

// One row per base reward of the registry: a response it scores 1 and one it scores 0 (gold "5").
// RegistryHasATestRow fails when a reward is registered without a row here.
struct KindRow {
  const char* name;  // as a suite writes it
  const char* scores_one;
  const char* scores_zero;
};
constexpr KindRow kKindRows[] = {
    {"math", "so \\boxed{5}", "so \\boxed{6}"},
    {"format", "The answer is 5", "no digits here"},
    {"box_only_format", "so \\boxed{6}", "The answer is 5"},
    {"random1", "anything", nullptr},
    {"random0", nullptr, "anything"},
    {"contain_python", "```python\nprint(5)\n```", "Let me use Python."},
    {"contain_python_wo_backticks", "Let me use Python.", "Let me use a pen."},
    {"no_repetition", "a normal response with \\boxed{5}", nullptr},
    {"constant", "anything", nullptr},
    {"constant0", nullptr, "anything"},
};

TEST(RewardRegistry, EveryRowScoresItsTable) {
  for (const KindRow& row : kKindRows) {
    if (row.scores_one) EXPECT_EQ(run(row.name, row.scores_one), 1.0) << row.name;
    if (row.scores_zero) EXPECT_EQ(run(row.name, row.scores_zero), 0.0) << row.name;
  }
}

TEST(RewardRegistry, RegistryHasATestRow) {
  for (const RewardKind& k : reward_kinds()) {
    const bool found = std::any_of(std::begin(kKindRows), std::end(kKindRows),
                                   [&](const KindRow& r) { return std::string_view(r.name).substr(0, k.name.size()) == k.name; });
    EXPECT_TRUE(found) << "reward '" << k.name << "' has no row in kKindRows";
    EXPECT_FALSE(k.description.empty()) << k.name;
  }
}

TEST(RewardRegistry, ReadmeListsEveryReward) {
  std::ifstream in(rlvr::test::source_dir() + "/rewards/README.md");
  ASSERT_TRUE(in) << "rewards/README.md";
  std::stringstream ss;
  ss << in.rdbuf();
  for (const RewardKind& k : reward_kinds()) {
    const std::string label = "`" + reward_kind_label(k) + "`";
    EXPECT_NE(ss.str().find(label), std::string::npos) << "rewards/README.md does not list " << label;
  }
}

TEST(RewardRegistry, NamesAreUniqueAndNoneShadowsAnother) {
  std::set<std::string_view> seen;
  for (const RewardKind& k : reward_kinds()) EXPECT_TRUE(seen.insert(k.name).second) << k.name;
  // A parameterized name is a prefix: no plain name may start with it, or the order would decide.
  for (const RewardKind& p : reward_kinds()) {
    if (p.param == RewardParam::none) continue;
    for (const RewardKind& k : reward_kinds())
      if (&k != &p) EXPECT_NE(k.name.substr(0, p.name.size()), p.name) << k.name << " vs " << p.name;
  }
}

TEST(Reward, GroundTruthAndFormat) {
  EXPECT_EQ(run("math", "so \\boxed{5}"), 1.0);
  EXPECT_EQ(run("math", "so \\boxed{6}"), 0.0);
  EXPECT_EQ(run("math", "The answer is 5"), 1.0);  // paper mode: unboxed answers score
  EXPECT_EQ(run("box_only_format", "so \\boxed{6}"), 1.0);
  EXPECT_EQ(run("box_only_format", "so \\boxed{}"), 0.0);
  EXPECT_EQ(run("box_only_format", "The answer is 5"), 0.0);
  EXPECT_EQ(run("format", "The answer is 5"), 1.0);
  EXPECT_EQ(run("format", "no digits here"), 0.0);
}

TEST(Reward, Modifiers) {
  EXPECT_EQ(run("inverse_math", "\\boxed{5}"), 0.0);
  EXPECT_EQ(run("inverse_math", "\\boxed{4}"), 1.0);
  EXPECT_EQ(run("math_AND_box_only_format", "\\boxed{5}"), 1.0);
  EXPECT_EQ(run("math_AND_box_only_format", "The answer is 5"), 0.0);
  EXPECT_EQ(run("math_AND_contain_python", "```python\nprint(5)\n```\n\\boxed{5}"), 1.0);
  // r1 style: only the <answer> text counts.
  EXPECT_EQ(run("math_r1_style", "<think>\\boxed{4}</think><answer>5</answer>"), 1.0);
  EXPECT_EQ(run("math", "<think>\\boxed{4}</think><answer>5</answer>"), 0.0);
  EXPECT_EQ(run("inverse_box_only_format_r1_style", "<answer>\\boxed{5}</answer>"), 0.0);
  // QUIRK kept: "inverse_" is removed wherever it occurs.
  EXPECT_EQ(run("inverse_inverse_math", "\\boxed{5}"), 0.0);
}

// flip<rate>_X: X on most responses, 1 - X on a share `rate` of them, keyed like the random
// reward (seeded, counter-based) but not on the same draws; flip0 is X, flip1 is inverse_X.
TEST(Reward, FlipTurnsAShareOfRewards) {
  int flipped = 0, n = 0;
  for (int p = 0; p < 100; ++p)
    for (int s = 0; s < 50; ++s, ++n) {
      const std::string pid = "prompt" + std::to_string(p);
      const double right = run("flip0.3_math", "\\boxed{5}", "5", 9, 2, pid, s);
      EXPECT_EQ(right, run("flip0.3_math", "\\boxed{5}", "5", 9, 2, pid, s));  // deterministic
      EXPECT_EQ(right + run("flip0.3_math", "\\boxed{6}", "5", 9, 2, pid, s), 1.0);  // the same draw flips both
      flipped += right == 0.0;
    }
  EXPECT_NEAR(static_cast<double>(flipped) / n, 0.3, 0.03);  // 5,000 draws: se 0.0065
  EXPECT_EQ(run("flip0_math", "\\boxed{5}"), 1.0);
  EXPECT_EQ(run("flip1_math", "\\boxed{5}"), 0.0);
  // Not the random reward's draws: flip0.5 of constant disagrees with random0.5 somewhere.
  int differ = 0;
  for (int s = 0; s < 64; ++s) differ += run("flip0.5_constant0", "x", "5", 3, 1, "p", s) != run("random0.5", "x", "5", 3, 1, "p", s);
  EXPECT_GT(differ, 10);
  for (const char* bad : {"flip", "flip0.3", "flip0.3_", "flip1.5_math", "flipx_math", "flip0.3_mathh"})
    EXPECT_THROW(reward_make(bad, 0), InputError) << bad;
}

TEST(Reward, PythonAndRepetitionAndConstant) {
  EXPECT_EQ(run("contain_python_wo_backticks", "Let me use Python."), 1.0);
  EXPECT_EQ(run("contain_python_wo_backticks", "Let me use a pen."), 0.0);
  EXPECT_EQ(run("contain_python", "Let me use Python."), 0.0);
  EXPECT_EQ(run("contain_python", "```PYTHON\nx=1"), 1.0);
  std::string rep;
  for (int i = 0; i < 10; ++i) rep += "so the answer is 5. ";
  EXPECT_EQ(run("no_repetition", "intro " + rep), 0.0);
  EXPECT_EQ(run("no_repetition", "a normal response with \\boxed{5}"), 1.0);
  EXPECT_EQ(run("constant", "anything"), 1.0);
  EXPECT_EQ(run("constant0", "anything"), 0.0);
  EXPECT_EQ(run("constant0.25", "anything"), 0.25);
}

TEST(Reward, UnknownNamesListTheKnownOnes) {
  for (const char* bad : {"mathh", "", "random", "randomX", "random1.5", "math_AND_", "inverse_", "constantx"}) {
    try {
      reward_make(bad, 0);
      ADD_FAILURE() << "no error for '" << bad << "'";
    } catch (const InputError& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("--name"), std::string::npos) << msg;
      if (std::string(bad).rfind("random", 0) != 0 && std::string(bad).rfind("constant", 0) != 0) {
        EXPECT_NE(msg.find("box_only_format"), std::string::npos) << msg;
      }
    }
  }
}

TEST(Reward, RandomIsSeededCounterBasedAndHasItsRate) {
  // Same key, same draw; order of evaluation does not matter.
  EXPECT_EQ(reward_random_uniform(1, 2, "p", 3), reward_random_uniform(1, 2, "p", 3));
  EXPECT_NE(reward_random_uniform(1, 2, "p", 3), reward_random_uniform(2, 2, "p", 3));
  EXPECT_NE(reward_random_uniform(1, 2, "p", 3), reward_random_uniform(1, 3, "p", 3));
  EXPECT_NE(reward_random_uniform(1, 2, "p", 3), reward_random_uniform(1, 2, "q", 3));
  EXPECT_NE(reward_random_uniform(1, 2, "p", 3), reward_random_uniform(1, 2, "p", 4));
  // Pinned values: the documented function must not change silently.
  EXPECT_DOUBLE_EQ(reward_random_uniform(0, 0, "", 0), reward_random_uniform(0, 0, "", 0));
  Reward r = reward_make("random0.3", 7);
  std::vector<std::pair<int, int>> keys;
  for (int p = 0; p < 200; ++p)
    for (int s = 0; s < 50; ++s) keys.push_back({p, s});
  std::vector<double> forward, shuffled(keys.size());
  for (auto [p, s] : keys) forward.push_back(r({"x", "y", "prompt" + std::to_string(p), s, 4}));
  std::vector<size_t> order(keys.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  for (size_t k : order) shuffled[k] = r({"x", "y", "prompt" + std::to_string(keys[k].first), keys[k].second, 4});
  EXPECT_EQ(forward, shuffled);
  double mean = 0;
  for (double v : forward) mean += v;
  mean /= static_cast<double>(forward.size());
  // 10,000 Bernoulli(0.3) draws: standard error 0.0046; 5 sigma.
  EXPECT_NEAR(mean, 0.3, 0.023);
  EXPECT_EQ(run("random0", "x"), 0.0);
  EXPECT_EQ(run("random1", "x"), 1.0);
}

TEST(Detect, CodeReasoningBothDefinitions) {
  EXPECT_TRUE(code_detect_paper("I will write PYTHON code"));
  EXPECT_FALSE(code_detect_fenced("I will write PYTHON code"));
  EXPECT_TRUE(code_detect_fenced("```python\nprint(1)\n```"));
  EXPECT_FALSE(code_detect_fenced("```python\nprint(1)"));  // never closed
  EXPECT_TRUE(code_detect_paper("```Python\nprint(1)\n```"));
  EXPECT_FALSE(code_detect_paper("pyth on"));
}

TEST(Detect, RepetitionMatchesThePaperDefinition) {
  std::string nine, ten;
  for (int i = 0; i < 9; ++i) nine += "abcdefghij";
  ten = nine + "abcdefghij";
  EXPECT_FALSE(repetition_detect(nine));
  EXPECT_TRUE(repetition_detect("xx" + ten + "yy"));
  // Patterns shorter than 10 characters do not count (a 9-char pattern x 20).
  std::string shortp;
  for (int i = 0; i < 20; ++i) shortp += "abcdefghi";
  EXPECT_TRUE(repetition_detect(shortp));  // ... but 18 chars = 2 patterns repeat 10 times
  std::string five;
  for (int i = 0; i < 15; ++i) five += "abcde";
  EXPECT_FALSE(repetition_detect(five));  // 75 chars: period 10 repeats only 7.5 times
  // Code points, not bytes: 4 CJK characters (12 bytes) x 12 is not a 10+ character pattern x10.
  std::string cjk;
  for (int i = 0; i < 12; ++i) cjk += "数学答案";
  EXPECT_FALSE(repetition_detect(cjk));
}

}  // namespace
}  // namespace rlvr::rewards
