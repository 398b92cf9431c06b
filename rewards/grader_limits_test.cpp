// Deep and huge inputs: every one returns, in both modes, without recursion overflow (the
// expression parser and latex2text have depth limits, extraction is linear). The time budget
// itself (kGradeBudgetMs per grading) is a benchmark (bench/grader_bench BM_GradeHugeAll, as a
// ratio to the budget): a wall-clock bound in a unit test fails on a loaded CI core. Here only a
// hang guard, far above the budget, catches a super-linear or runaway case.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "rewards/grader.h"
#include "rewards/grader_huge_inputs.h"

namespace rlvr::rewards {
namespace {

// 20x the budget: a linear-time grading on a preempted core stays far below it, a quadratic one
// on 1 MB (10^12 steps) or a hang does not.
constexpr double kHangGuardMs = 20 * kGradeBudgetMs;

TEST(GraderLimits, HugeAndDeepInputsReturnWithoutHanging) {
  for (const auto& h : huge_inputs()) {
    for (GradeMode mode : {GradeMode::paper, GradeMode::strict}) {
      auto t0 = std::chrono::steady_clock::now();
      Grade g = grade_response(h.response, h.gold, mode);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      EXPECT_LT(ms, kHangGuardMs) << h.name << " (" << grade_mode_name(mode) << ") took " << ms << " ms";
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
