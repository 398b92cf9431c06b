// Deep and huge inputs: every one returns within kBudget, in both modes, without recursion
// overflow (the expression parser and latex2text have depth limits, extraction is linear).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "rewards/grader.h"

namespace rlvr::rewards {
namespace {

// The bound for one grading.
constexpr double kBudgetMs = 10.0;
// Best of a few runs, so that a shared CI core does not fail the test on one preemption.
constexpr int kTries = 3;

double best_ms(const std::function<void()>& f) {
  double best = 1e18;
  for (int t = 0; t < kTries; ++t) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, ms);
  }
  return best;
}

struct Huge {
  const char* name;
  std::string response;
  std::string gold;
};

std::vector<Huge> huge_inputs() {
  constexpr size_t kNest = 100000;  // the 100,000 nested braces
  constexpr size_t kMB = 1 << 20;
  std::vector<Huge> v;
  v.push_back({"100k nested braces in a box",
               "\\boxed{" + std::string(kNest, '{') + "1" + std::string(kNest, '}') + "}", "1"});
  v.push_back({"100k unclosed braces in a box", "\\boxed{" + std::string(kNest, '{') + "1", "1"});
  v.push_back({"100k nested braces, no box", std::string(kNest, '{') + "7" + std::string(kNest, '}'), "7"});
  v.push_back({"100k nested parentheses in a box",
               "\\boxed{" + std::string(kNest, '(') + "1" + std::string(kNest, ')') + "}", "1"});
  v.push_back({"100k nested \\frac", "\\boxed{" + [&] {
                 std::string s;
                 for (size_t i = 0; i < kNest; ++i) s += "\\frac{1}{";
                 s += "2";
                 s += std::string(kNest, '}');
                 return s;
               }() + "}", "1"});
  std::string prose;
  while (prose.size() < kMB) prose += "We compute 3 + 4 = 7, so the area is 12 square units and x = 5. ";
  v.push_back({"1 MB prose, last number", prose, "5"});
  v.push_back({"1 MB prose then a box", prose + "\\boxed{42}", "42"});
  v.push_back({"1 MB inside one box", "\\boxed{" + prose + "}", "5"});
  std::string boxes;
  while (boxes.size() < kMB) boxes += "\\boxed{";
  v.push_back({"1 MB of unclosed boxes", boxes, "1"});
  std::string minus(kMB, '-');
  v.push_back({"1 MB of minus signs in a box", "\\boxed{" + minus.substr(0, 20000) + "1}", "-1"});
  v.push_back({"10^(10^6) answer", "\\boxed{10^(10^6)}", "10^{1000000}"});
  v.push_back({"10^{10^{6}} answer", "\\boxed{10^{10^{6}}}", "10^{10^6}"});
  v.push_back({"power tower", "\\boxed{" + [&] {
                 std::string s;
                 for (int i = 0; i < 3000; ++i) s += "2^{";
                 s += "2" + std::string(3000, '}');
                 return s;
               }() + "}", "4"});
  v.push_back({"long sum", "\\boxed{" + [&] {
                 std::string s = "1";
                 for (int i = 0; i < 3000; ++i) s += "+1";
                 return s;
               }() + "}", "3001"});
  v.push_back({"huge gold", "\\boxed{1}", std::string(kNest, '{') + "1" + std::string(kNest, '}')});
  v.push_back({"1 MB of digits", std::string(kMB, '9'), "9"});
  v.push_back({"1 MB of \\sqrt", "\\boxed{" + [&] {
                 std::string s;
                 while (s.size() < kMB) s += "\\sqrt";
                 return s;
               }() + "2}", "2"});
  return v;
}

TEST(GraderLimits, HugeAndDeepInputsReturnWithinBudget) {
  for (const auto& h : huge_inputs()) {
    for (GradeMode mode : {GradeMode::paper, GradeMode::strict}) {
      Grade g;
      double ms = best_ms([&] { g = grade_response(h.response, h.gold, mode); });
      EXPECT_LT(ms, kBudgetMs) << h.name << " (" << grade_mode_name(mode) << ") took " << ms << " ms";
    }
  }
}

TEST(GraderLimits, HugeInputsStillGradeSensibly) {
  std::string prose;
  while (prose.size() < (1 << 20)) prose += "We compute 3 + 4 = 7 and x = 5. ";
  EXPECT_TRUE(grade_response(prose, "5", GradeMode::paper).correct());  // last number
  EXPECT_FALSE(grade_response(prose, "5", GradeMode::strict).correct());  // no box
  EXPECT_TRUE(grade_response(prose + "\\boxed{42}", "42", GradeMode::strict).correct());
  // 10^(10^6) overflows: not provably equal to a different huge power.
  EXPECT_NE(grade_response("\\boxed{10^{10^{6}}}", "10^{1000001}", GradeMode::strict).verdict, StrictVerdict::correct);
  // ... and the same text still matches itself.
  EXPECT_TRUE(grade_response("\\boxed{10^{10^{6}}}", "10^{10^{6}}", GradeMode::strict).correct());
}

}  // namespace
}  // namespace rlvr::rewards
