// grading.h: what the evaluator and trainer need to know about one response, behind one function
// type so that eval/ and rl/ do not depend on a particular grader (rewards/ provides them).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rlvr {

struct Graded {
  std::optional<std::string> extracted;  // the answer the grader extracted, nullopt when none
  bool correct = false;                  // equivalent to the gold label (unsure counts as wrong)
  bool unsure = false;                   // strict mode could neither prove nor refute equivalence
  bool boxed = false;                    // the response holds a non-empty \boxed{...}
  bool has_code = false;                 // the paper's detector: "python" in the lower-cased text
  bool has_code_strict = false;          // a fenced ```python block
};

using GradeFn = std::function<Graded(std::string_view response, std::string_view gold)>;

}  // namespace rlvr
