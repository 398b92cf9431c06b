#include "rewards/grader.h"

#include "rewards/paper_extract.h"
#include "rewards/paper_grade.h"
#include "util/error.h"

namespace rlvr::rewards {

GradeMode grade_mode_parse(std::string_view where, std::string_view name) {
  if (auto m = enum_parse<GradeMode>(name)) return *m;
  throw_input(where, "unknown grading mode '" + std::string(name) + "' (known: " + enum_list<GradeMode>() + ")");
}

StrictVerdict grade_answer(std::string_view answer, std::string_view gold, GradeMode mode) {
  if (mode == GradeMode::strict) return strict_equivalent(answer, gold);
  if (answer.size() > kMaxAnswerBytes || gold.size() > kMaxAnswerBytes) return StrictVerdict::wrong;
  return paper_grade_answer(answer, gold) ? StrictVerdict::correct : StrictVerdict::wrong;
}

Grade grade_response(std::string_view response, std::string_view gold, GradeMode mode, bool r1_style) {
  Grade g;
  if (mode == GradeMode::strict) {
    std::string_view text = response;
    if (r1_style) {
      size_t p = text.rfind("<answer>");
      if (p != std::string_view::npos) text = text.substr(p + 8);
      size_t q = text.find("</answer>");
      if (q != std::string_view::npos) text = text.substr(0, q);
    }
    g.extracted = strict_extract(text);
    g.verdict = g.extracted ? strict_equivalent(*g.extracted, gold) : StrictVerdict::wrong;
    return g;
  }
  // The paper's qwen_reward_fn: a label of A/B/C/D selects the multiple-choice extractor.
  bool choice = gold == "A" || gold == "B" || gold == "C" || gold == "D";
  std::string ans = choice ? paper_extract_choice(response) : paper_extract(response, r1_style);
  g.verdict = grade_answer(ans, gold, GradeMode::paper);
  if (!ans.empty()) g.extracted = std::move(ans);
  return g;
}

}  // namespace rlvr::rewards
