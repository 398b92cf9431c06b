// detect.h: response detectors: code reasoning (two definitions) and the paper's repetition test.
#pragma once
#include <string_view>

namespace rlvr::rewards {

// The paper's code-reasoning test: "python" occurs in the lower-cased response.
bool code_detect_paper(std::string_view response);

// A stricter one: a fenced Python block, "```python" (any case) with a closing "```" after it.
bool code_detect_fenced(std::string_view response);

// The paper's contain_python reward test: "```python" occurs in the lower-cased response.
bool code_detect_python_fence_open(std::string_view response);

// The paper's detect_repetition(text, min_rep_length=10, max_rep_length=256, min_repeats=10):
// some pattern of 10..256 characters (code points) repeats back to back at least 10 times.
// Implemented as a run of 9*L equal characters at distance L, which is the same condition.
bool repetition_detect(std::string_view response);

}  // namespace rlvr::rewards
