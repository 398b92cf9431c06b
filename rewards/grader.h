// grader.h: answer extraction + equivalence in one call, in either mode.
//
//   paper   the paper's reward code: Qwen2.5-Math extract_answer (boxed, then text fallbacks,
//           then the last number) and PRM800K-style grade_answer (rewards/paper_grade.h).
//           A label of exactly A/B/C/D switches extraction to the multiple-choice cleaner, as
//           the paper's qwen_reward_fn does. Verdicts are Correct or Wrong.
//   strict  boxed answers only, this project's LaTeX evaluator (rewards/strict_grade.h);
//           Unsure counts as wrong and is reported separately.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rewards/grade_mode.h"
#include "rewards/strict_grade.h"

namespace rlvr::rewards {

// "paper" | "strict"; InputError naming `where` otherwise.
GradeMode grade_mode_parse(std::string_view where, std::string_view name);
inline const char* grade_mode_name(GradeMode m) { return enum_name(m).data(); }

struct Grade {
  std::optional<std::string> extracted;  // nullopt: nothing extracted (paper: the empty string)
  StrictVerdict verdict = StrictVerdict::wrong;
  bool correct() const { return verdict == StrictVerdict::correct; }
};

Grade grade_response(std::string_view response, std::string_view gold, GradeMode mode,
                     bool r1_style = false);

// Equivalence of an already extracted answer with a label (no extraction).
StrictVerdict grade_answer(std::string_view answer, std::string_view gold, GradeMode mode);

}  // namespace rlvr::rewards
