#include "eval/grade_fn.h"

#include "rewards/detect.h"
#include "rewards/grader.h"
#include "rewards/strict_grade.h"

namespace rlvr {

GradeFn grade_fn_make(const std::string& mode_name, const std::string& where) {
  return grade_fn_make(rewards::grade_mode_parse(where, mode_name));
}

GradeFn grade_fn_make(rewards::GradeMode mode, bool r1_style) {
  return [mode, r1_style](std::string_view response, std::string_view gold) {
    Graded g;
    rewards::Grade r = rewards::grade_response(response, gold, mode, r1_style);
    g.extracted = r.extracted;
    g.correct = r.correct();
    g.unsure = r.verdict == rewards::StrictVerdict::unsure;
    auto boxed = rewards::strict_extract(response);
    g.boxed = boxed && !boxed->empty();
    g.has_code = rewards::code_detect_paper(response);
    g.has_code_strict = rewards::code_detect_fenced(response);
    return g;
  };
}

}  // namespace rlvr
