// paper_grade.h: the paper's equivalence check, grade_answer(given, ground_truth) of its
// math_grade.py (PRM800K's grader over the Hendrycks MATH normalizer).
//
//   (a) Hendrycks normalize_answer() of both strings equal, or
//   (b) the PRM800K _normalize() of both equal, or
//   (c) element-wise (tuples/intervals split on commas, same first and last bracket required)
//       sympy.simplify(truth - given) == 0, where
//       QUIRK unreduced fractions must match literally (both "a/b": string equality only),
//       QUIRK an integer label needs an integer answer (and vice versa) and then string equality,
//       QUIRK no evaluation with more than 2 distinct letters, or "^{", "^(", "^<digits>^",
//             "^<2+ digits>" anywhere (the reference's guards against sympy hanging).
// Deviation: sympy is replaced by the project's evaluator (rewards/expr.h): the difference is
// evaluated exactly on rationals where possible, else in complex long double, at shared sample
// points of the (at most 2) symbols, and counts as zero when it is zero at every point. That
// accepts identities sympy.simplify can fail to prove and treats decimal literals as exact
// (sympy: 0.1+0.2 != 0.3 in binary floats; here it is equal).
#pragma once
#include <string>
#include <string_view>

namespace rlvr::rewards {

std::string hendrycks_normalize(std::string_view answer);
std::string prm_normalize(std::string_view expr);
bool paper_grade_answer(std::string_view given, std::string_view ground_truth);

}  // namespace rlvr::rewards
