// latex_text.h: the part of pylatexenc 2.10's LatexNodes2Text().latex_to_text() that the paper's
// grader meets in math answers.
//
// Groups render their content, \frac{a}{b} renders "a/b" (QUIRK: no parentheses, so
// \frac{x+1}{2} becomes "x+1/2"), \sqrt[n]{x} renders "√(x)" (QUIRK: the degree is dropped),
// \text{..}/\mathrm{..}-style macros render their argument, symbol macros their Unicode character
// (\pi π, \infty ∞, \cdot ·, \times ×, \cup ∪, Greek letters, ...), spacing macros a space,
// "\\" a newline, '&' three spaces, '~' a no-break space, $...$ its content, and an unknown macro
// nothing (its braces then render as a plain group). Differences from pylatexenc: \mathbf and
// \mathbb are rendered as plain text instead of Unicode bold/double-struck letters, and
// environments render their body. Nesting deeper than kLatexTextMaxDepth fails, as Python's
// recursion limit makes pylatexenc fail.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace rlvr::rewards {

inline constexpr int kLatexTextMaxDepth = 500;

std::optional<std::string> latex_to_text(std::string_view latex);

}  // namespace rlvr::rewards
