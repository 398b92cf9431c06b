// grader_huge_inputs.h: the deep and huge inputs the grader must survive (100,000
// nested braces, 1 MB of prose, power towers, ...). One list for the hang-guard unit test
// (grader_limits_test.cpp) and the per-grading time budget in bench/grader_bench.cpp.
#pragma once

#include <string>
#include <vector>

namespace rlvr::rewards {

// The time one grading may take on one core (checked by bench/grader_bench, BM_GradeHugeAll).
constexpr double kGradeBudgetMs = 10.0;

struct Huge {
  const char* name;
  std::string response;
  std::string gold;
};

inline std::vector<Huge> huge_inputs() {
  constexpr size_t kNest = 100000;  // nesting far past any recursion limit
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

}  // namespace rlvr::rewards
