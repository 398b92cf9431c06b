// grade_mode.h: which grader judges an answer (run key eval.grader, --mode, --grader), with one
// name table (util/enum_names.h). Header only, so torch-free run configs can hold it.
#pragma once
#include <cstdint>
#include <span>

#include "util/enum_names.h"

namespace rlvr::rewards {

// paper: the paper's reward code, quirks kept; strict: boxed answers only, proven equivalence.
enum class GradeMode : uint8_t { paper, strict };
constexpr EnumName<GradeMode> kGradeModeNames[] = {{GradeMode::paper, "paper"}, {GradeMode::strict, "strict"}};
constexpr std::span<const EnumName<GradeMode>> enum_names(GradeMode) { return kGradeModeNames; }

}  // namespace rlvr::rewards
