// strict_grade.h: the stricter, correct-by-default grader of this project.
//
// Only a brace-balanced \boxed{...} (or \fbox{...}) counts as an answer: the last one that closes.
// Answers and labels go through the same normalization (\left/\right, \dfrac, spacing, "$",
// "{,}", trailing \text{..} units, degrees, percent, "x = " prefixes) and structure parse
// (tuples and intervals with their brackets, sets and unordered lists, \cup unions, pmatrix/bmatrix,
// equations, multiple-choice letters, infinities), then element-wise equivalence through the LaTeX
// expression evaluator (rewards/expr.h): exact rationals where possible, long double otherwise,
// expressions in up to two variables at kExprSamplePoints shared points in the reals.
// Where neither equality nor inequality can be shown (unknown macro, > 2 variables, values that
// are undefined at too many points or too close to call), the verdict is Unsure.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rlvr::rewards {

enum class Verdict : uint8_t { Wrong = 0, Correct = 1, Unsure = 2 };

const char* verdict_name(Verdict v);

// The content of the last closed \boxed{...} / \fbox{...}; nullopt when there is none.
std::optional<std::string> strict_extract(std::string_view response);

// Equivalence of an extracted answer with a label.
Verdict strict_equivalent(std::string_view answer, std::string_view gold);

}  // namespace rlvr::rewards
