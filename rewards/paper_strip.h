// paper_strip.h: the answer normalisation of the paper's reward code (the Qwen2.5-Math parser's
// strip_string), applied to every extracted answer before comparison.
#pragma once
#include <string>
#include <string_view>

namespace rlvr::rewards {

// The parser's strip_string(s, skip_unit=False).
std::string qwen_strip_string(std::string_view s);

}  // namespace rlvr::rewards
