// grader_fuzz: libFuzzer target for answer extraction and grading in both modes, the rewards that
// read the text, the normalizers and the expression parser. The input is a response and a label
// separated by the first NUL byte (no NUL: the whole input is both). Crashes, sanitizer reports,
// hangs (-timeout) and non-deterministic verdicts are failures. See rewards/README.md to run it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rewards/detect.h"
#include "rewards/expr.h"
#include "rewards/grader.h"
#include "rewards/latex_text.h"
#include "rewards/paper_extract.h"
#include "rewards/paper_grade.h"
#include "rewards/reward.h"

using namespace rlvr;
using namespace rlvr::rewards;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view response = nul == std::string_view::npos ? in : in.substr(0, nul);
  std::string_view gold = nul == std::string_view::npos ? in : in.substr(nul + 1);

  for (GradeMode mode : {GradeMode::paper, GradeMode::strict}) {
    Grade a = grade_response(response, gold, mode);
    Grade b = grade_response(response, gold, mode);
    if (a.verdict != b.verdict || a.extracted != b.extracted) std::abort();  // determinism
    if (mode == GradeMode::paper && a.verdict == StrictVerdict::unsure) std::abort();
    grade_response(response, gold, mode, /*r1_style=*/true);
    grade_answer(gold, response, mode);
  }
  hendrycks_normalize(gold);
  prm_normalize(gold);
  latex_to_text(gold);
  for (Syntax syn : {Syntax::python, Syntax::latex}) {
    ParseOptions opt;
    opt.syntax = syn;
    Expr e;
    if (expr_parse(gold, opt, e)) {
      std::vector<Num> vars(e.vars.size(), num_int(3));
      expr_eval(e, vars, Domain::complex);
      expr_eval(e, vars, Domain::real);
    }
  }
  RewardInput ri{response, gold, "p", 1, 2};
  for (const char* name : {"math", "box_only_format", "format_r1_style", "no_repetition",
                           "contain_python", "random0.5_AND_inverse_math"})
    reward_make(name, 1)(ri);
  code_detect_fenced(response);
  return 0;
}
