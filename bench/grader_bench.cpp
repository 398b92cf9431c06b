// grader_bench: graded responses per second on one core, paper and strict mode, on MATH-like
// responses (a few hundred characters of reasoning ending in a boxed answer, labels of the kinds
// MATH has: integers, fractions, radicals, pi, tuples, intervals, text). Goal: >= 50,000/s in
// paper mode. Also the extraction alone and the worst-case inputs (each within kGradeBudgetMs:
// BM_GradeHugeAll reports the slowest one over the budget, so the bound is a ratio, not a
// timed unit test).
//
//   ./build/bench/grader_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "rewards/grader.h"
#include "rewards/grader_huge_inputs.h"
#include "rewards/paper_extract.h"

namespace {

using rlvr::rewards::GradeMode;

struct Case {
  std::string response, gold;
};

// Answer/label pairs in MATH's proportions of kinds: mostly integers, then fractions, radicals,
// expressions, tuples/intervals and text. Half of the answers are right, half wrong.
const std::vector<std::pair<std::string, std::string>> kPairs = {
    {"5", "5"}, {"12", "13"}, {"144", "144"}, {"-3", "-3"}, {"2008", "2009"}, {"0", "0"},
    {"\\frac{1}{2}", "\\frac12"}, {"\\dfrac{3}{4}", "\\frac{3}{5}"}, {"0.5", "\\frac{1}{2}"},
    {"2\\sqrt{3}", "2\\sqrt{3}"}, {"\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"},
    {"3\\pi", "3\\pi"}, {"\\frac{4\\pi}{3}", "\\frac{3\\pi}{4}"}, {"x^2+2x+1", "(x+1)^2"},
    {"(1,2)", "(1,2)"}, {"[-1, 3)", "[-1,3]"}, {"\\text{Monday}", "\\text{Monday}"},
    {"90^\\circ", "90"}, {"10\\%", "10"}, {"1,000", "1000"},
};

std::vector<Case> make_cases() {
  const std::string reasoning =
      "To solve this problem, we first note that the expression can be simplified. "
      "Let $a = 3$ and $b = 4$. Then $a^2 + b^2 = 9 + 16 = 25$, so $c = 5$. "
      "Substituting back, we get $\\frac{a}{b} = \\frac{3}{4}$ and the area is $\\frac{1}{2}ab = 6$. "
      "Checking the boundary cases $x = 0$ and $x = 1$ confirms the result. ";
  std::vector<Case> v;
  for (const auto& [ans, gold] : kPairs) v.push_back({reasoning + "Therefore, the final answer is $\\boxed{" + ans + "}$.", gold});
  return v;
}

void run_grade(benchmark::State& state, GradeMode mode) {
  auto cases = make_cases();
  size_t i = 0, correct = 0;
  for (auto _ : state) {
    const Case& c = cases[i++ % cases.size()];
    auto g = rlvr::rewards::grade_response(c.response, c.gold, mode);
    correct += g.correct();
    benchmark::DoNotOptimize(g);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["responses/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["correct_share"] = static_cast<double>(correct) / static_cast<double>(state.iterations());
}

void BM_GradePaper(benchmark::State& s) { run_grade(s, GradeMode::paper); }
void BM_GradeStrict(benchmark::State& s) { run_grade(s, GradeMode::strict); }

void BM_ExtractPaper(benchmark::State& state) {
  auto cases = make_cases();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(rlvr::rewards::paper_extract(cases[i++ % cases.size()].response, false));
  state.counters["responses/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Every huge/deep input of rewards/grader_huge_inputs.h, one grading each per iteration; the
// counters give the slowest one's time and its ratio to the budget (goal: worst_over_budget < 1).
void BM_GradeHugeAll(benchmark::State& state, GradeMode mode) {
  const auto inputs = rlvr::rewards::huge_inputs();
  std::vector<double> best(inputs.size(), 1e18);
  for (auto _ : state) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto t0 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(rlvr::rewards::grade_response(inputs[i].response, inputs[i].gold, mode));
      best[i] = std::min(best[i], std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  size_t worst = static_cast<size_t>(std::max_element(best.begin(), best.end()) - best.begin());
  state.counters["worst_ms"] = best[worst];
  state.counters["worst_over_budget"] = best[worst] / rlvr::rewards::kGradeBudgetMs;
  state.SetLabel(std::string("slowest: ") + inputs[worst].name);
}

BENCHMARK(BM_GradePaper);
BENCHMARK(BM_GradeStrict);
BENCHMARK(BM_ExtractPaper);
BENCHMARK_CAPTURE(BM_GradeHugeAll, paper, GradeMode::paper)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_CAPTURE(BM_GradeHugeAll, strict, GradeMode::strict)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
