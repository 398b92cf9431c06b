#include "report/decompose.h"

#include <cmath>
#include <cstdio>

namespace rlvr::report {

namespace {

// A stored accuracy is recomputed from its strategies to this tolerance (rounding of the
// evaluator's divisions); a larger residual means the metrics do not describe one eval.
constexpr double kIdentityTolerance = 1e-9;

// weight * (a1 - a0), where a zero weight needs neither accuracy (accuracies lie in [0, 1]).
std::optional<double> term(double weight, const std::optional<double>& a1, const std::optional<double>& a0) {
  if (weight == 0) return 0.0;
  if (!a1 || !a0) return std::nullopt;
  return weight * (*a1 - *a0);
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

}  // namespace

Split decompose(const StrategyEval& s0, const StrategyEval& s1) {
  Split s;
  s.gain = s1.accuracy.value_or(NAN) - s0.accuracy.value_or(NAN);
  if (!s0.accuracy || !s1.accuracy) return s.undefined = "no accuracy at step 0 or at the last eval", s;
  if (!s0.code || !s1.code) return s.undefined = "no code_frequency logged", s;
  const double c0 = *s0.code, c1 = *s1.code;
  // The gap is needed only when the code share moved: (c1 - c0) (a_code0 - a_lang0).
  std::optional<double> shift = c1 == c0 ? std::optional<double>(0.0)
                                         : (s0.acc_code && s0.acc_lang ? std::optional<double>((c1 - c0) * (*s0.acc_code - *s0.acc_lang))
                                                                       : std::nullopt);
  std::optional<double> wc = term(c1, s1.acc_code, s0.acc_code), wl = term(1 - c1, s1.acc_lang, s0.acc_lang);
  if (!shift) return s.undefined = "the code share moved but step 0 has only one strategy (no accuracy gap)", s;
  if (!wc) return s.undefined = "code responses at the last eval but none at step 0 (or accuracy_code not logged)", s;
  if (!wl) return s.undefined = "language responses at the last eval but none at step 0 (or accuracy_language not logged)", s;
  double residual = s.gain - (*shift + *wc + *wl);
  if (!(std::fabs(residual) <= kIdentityTolerance))
    return s.undefined = "accuracy is not code_frequency x accuracy_code + (1 - code_frequency) x accuracy_language "
                         "(residual " + num(residual) + ")",
           s;
  s.shift = shift, s.within_code = wc, s.within_lang = wl, s.within = *wc + *wl;
  return s;
}

}  // namespace rlvr::report
