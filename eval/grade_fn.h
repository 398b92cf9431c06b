// grade_fn.h: GradeFn (eval/grading.h) backed by the rewards/ graders and code detectors.
#pragma once
#include <string>

#include "eval/grading.h"
#include "rewards/grade_mode.h"

namespace rlvr {

// mode: "paper" | "strict" (InputError naming `where` otherwise). Boxed = a non-empty \boxed{...}
// (the box_only_format test); has_code = the paper's detector; has_code_strict = a fenced block.
GradeFn grade_fn_make(const std::string& mode, const std::string& where = "eval.grader");
// r1_style: grade only the text after the last "<answer>" (the scripts' math_r1_style evaluation).
GradeFn grade_fn_make(rewards::GradeMode mode, bool r1_style = false);

}  // namespace rlvr
