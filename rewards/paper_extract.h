// paper_extract.h: answer extraction of the paper's reward code (Rethink_RLVR's copy of the
// Qwen2.5-Math evaluation parser, `extract_answer(text, "math")` and `strip_string`).
#pragma once
#include <string>
#include <string_view>

#include "rewards/paper_strip.h"

namespace rlvr::rewards {

// Extracted answers longer than this skip strip_string and grade as wrong: no MATH answer comes
// close, and the reference would spend seconds (or hang in sympy) on them. Keeps every input
// within the 10 ms bound.
inline constexpr size_t kMaxAnswerBytes = 16 * 1024;

// extract_answer(text, "math"): the text after the LAST "boxed" (brace-balanced when "{" follows),
// else "final answer is $...$. I hope", else "he answer is", else "final answer is", else
// "答案是", else the last number; then the parser's cleanup and strip_string. Never fails: an
// empty string means nothing was found. r1_style: only the text after the last "<answer>".
// The minerva pattern is checked FIRST in the code (before "boxed"), as in the reference.
std::string paper_extract(std::string_view text, bool r1_style);

// extract_answer(text, "gpqa"), used by the reward when the label is A/B/C/D: the last standalone
// capital letter A-D of the cleaned text, else the text itself.
std::string paper_extract_choice(std::string_view text);

// extract_answer_box_only(text, "math"): the boxed text only ("" when there is none).
std::string paper_extract_box_only(std::string_view text, bool r1_style);

}  // namespace rlvr::rewards
