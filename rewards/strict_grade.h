// strict_grade.h: the stricter, correct-by-default grader of this project.
//
// Only a brace-balanced \boxed{...} (or \fbox{...}) counts as an answer: the last one that closes.
// Answers and labels go through the same normalization (\left/\right, \dfrac, spacing, "$",
// "{,}", trailing \text{..} units, degrees, percent, "x = " prefixes) and structure parse
// (tuples and intervals with their brackets, sets and unordered lists, \cup unions, pmatrix/bmatrix,
// equations, multiple-choice letters, infinities), then element-wise equivalence through the LaTeX
// expression evaluator (rewards/expr.h): exact rationals where possible, long double otherwise,
// expressions in up to two variables (equations: three) at kExprSamplePoints shared points in the
// reals; two equations with the same sides as text are equal without sampling.
// Where neither equality nor inequality can be shown (unknown macro, > 2 variables, values that
// are undefined at too many points or too close to call), the verdict is Unsure.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/enum_names.h"

namespace rlvr::rewards {

enum class StrictVerdict : uint8_t { wrong = 0, correct = 1, unsure = 2 };

constexpr EnumName<StrictVerdict> kStrictVerdictNames[] = {
    {StrictVerdict::wrong, "wrong"}, {StrictVerdict::correct, "correct"}, {StrictVerdict::unsure, "unsure"}};
constexpr std::span<const EnumName<StrictVerdict>> enum_names(StrictVerdict) { return kStrictVerdictNames; }
inline const char* strict_verdict_name(StrictVerdict v) { return enum_name(v).data(); }

// The content of the last closed \boxed{...} / \fbox{...}; nullopt when there is none.
std::optional<std::string> strict_extract(std::string_view response);

// Equivalence of an extracted answer with a label.
StrictVerdict strict_equivalent(std::string_view answer, std::string_view gold);

}  // namespace rlvr::rewards
