#include "synth/world_render.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "synth/test_oracle.h"
#include "synth/world_export.h"

namespace rlvr::synth {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Problem make(int64_t start, std::vector<Step> steps, int phrasing = 0) {
  Problem p;
  p.start = start;
  p.steps = std::move(steps);
  p.phrasing = phrasing;
  p.answer = problem_evaluate(p);
  return p;
}

// zoo inspect reads a problem's cue class back from its text: every rendered problem of the world
// maps to its own (phrasing, first operator); a text the world did not write maps to nothing.
TEST(WorldRender, TheCueClassReadsBackFromTheText) {
  const WorldKnobs k;
  const auto problems = world_problems_distinct(11, Split::eval, 300, k);
  for (const Problem& p : problems) {
    const auto klass = problem_text_cue_class(problem_text(p), k);
    ASSERT_TRUE(klass.has_value()) << problem_text(p);
    EXPECT_EQ(*klass, p.phrasing * static_cast<int>(k.ops.size()) + static_cast<int>(k.ops.find(op_char(p.steps.front().op))))
        << problem_text(p);
  }
  EXPECT_FALSE(problem_text_cue_class("Compute 2 + 3.", k).has_value());
  EXPECT_FALSE(problem_text_cue_class("What is the meaning of life?", k).has_value());
}

TEST(WorldRender, LatexHasOnlyTheParenthesesTheLeftFoldNeeds) {
  EXPECT_EQ(problem_latex(make(7, {{WorldOp::add, 5}, {WorldOp::sub, 3}, {WorldOp::mul, 2}})), "(7 + 5 - 3) \\times 2");
  EXPECT_EQ(problem_latex(make(3, {{WorldOp::mul, 4}, {WorldOp::add, 2}})), "3 \\times 4 + 2");
  EXPECT_EQ(problem_latex(make(8, {{WorldOp::div, 4}, {WorldOp::mul, 3}, {WorldOp::sub, 1}, {WorldOp::div, 5}})),
            "(8 \\div 4 \\times 3 - 1) \\div 5");
  EXPECT_EQ(problem_text(make(2, {{WorldOp::add, 2}}, 2)), "What is $2 + 2$?");
  EXPECT_EQ(problem_text(make(2, {{WorldOp::add, 2}}, 1)), "Evaluate $2 + 2$.");
}

TEST(WorldRender, TheTwoStrategiesAsTheCorpusWritesThem) {
  const Problem p = make(7, {{WorldOp::add, 5}, {WorldOp::sub, 3}, {WorldOp::mul, 2}});
  const auto steps = world_solve(p, nullptr);
  EXPECT_EQ(solution_text(Strategy::language, steps, true),
            "Let's compute step by step.\nFirst, $7 + 5 = 12$.\nNext, $12 - 3 = 9$.\nFinally, $9 \\times 2 = 18$.\n"
            "The answer is $\\boxed{18}$.");
  EXPECT_EQ(solution_text(Strategy::code, steps, false),
            "Let's solve this using Python.\n```python\nstep1 = 7 + 5  # 12\nstep2 = 12 - 3  # 9\nstep3 = 9 * 2  # 18\n"
            "print(step3)\n```\n```output\n18\n```\nThe answer is 18.");
}

TEST(WorldRender, OnlyCodeSaysPythonAndEveryEndingStatesTheAnswer) {
  for (uint64_t i = 0; i < 2000; ++i) {
    const Problem p = world_problem_make(4, i, Split::train, WorldKnobs{});
    const auto steps = world_solve(p, nullptr);
    for (bool boxed : {true, false}) {
      const std::string lang = solution_text(Strategy::language, steps, boxed);
      const std::string code = solution_text(Strategy::code, steps, boxed);
      ASSERT_EQ(lower(lang).find("python"), std::string::npos) << lang;
      ASSERT_NE(lower(code).find("python"), std::string::npos) << code;
      for (const std::string& s : {lang, code}) {
        ASSERT_EQ(s.find("boxed") != std::string::npos, boxed) << s;
        ASSERT_EQ(oracle::response_answer(s), oracle::question_value(problem_text(p))) << s;
      }
      // The code's predicted output is the final value.
      ASSERT_NE(code.find("```output\n" + std::to_string(p.answer) + "\n```"), std::string::npos);
    }
  }
}

TEST(WorldExport, JsonlHasExactlyTheMath500Fields) {
  std::istringstream in(world_export_jsonl(2, Split::eval, 300, WorldKnobs{}));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    ASSERT_EQ(j.size(), 6u) << line;
    for (const char* f : {"problem", "answer", "solution", "subject", "unique_id"}) ASSERT_TRUE(j.at(f).is_string()) << f;
    ASSERT_TRUE(j.at("level").is_number_integer());
    ASSERT_GE(j["level"].get<int>(), 1);
    ASSERT_LE(j["level"].get<int>(), 5);
    const int64_t gold = oracle::question_value(j["problem"]);
    ASSERT_EQ(j["answer"].get<std::string>(), std::to_string(gold));
    ASSERT_EQ(oracle::response_answer(j["solution"]), gold);
    ASSERT_EQ(j["unique_id"].get<std::string>().rfind("synth/eval/2/", 0), 0u);
    ++n;
  }
  EXPECT_EQ(n, 300);
}

}  // namespace
}  // namespace rlvr::synth
