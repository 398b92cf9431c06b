#include "results/eval_means.h"

#include <limits>

#include "results/metric.h"

namespace rlvr {

std::map<std::string, double> eval_item_means(const std::vector<EvalItem>& items) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(items.size());
  double correct = 0, code = 0, code_correct = 0, lang = 0, lang_correct = 0, strict = 0, boxed = 0;
  bool all_strict = true, all_boxed = true;
  for (const EvalItem& x : items) {
    correct += x.correct;
    code += x.has_code;
    if (x.has_code) code_correct += x.correct;
    else lang += 1, lang_correct += x.correct;
    all_strict = all_strict && x.has_code_strict.has_value();
    all_boxed = all_boxed && x.boxed.has_value();
    strict += x.has_code_strict.value_or(false);
    boxed += x.boxed.value_or(false);
  }
  std::map<std::string, double> m;
  auto key = [](Metric k) { return std::string(metric_key(k)); };
  m[key(Metric::accuracy)] = n > 0 ? correct / n : nan;
  m[key(Metric::code_frequency)] = n > 0 ? code / n : nan;
  m[key(Metric::accuracy_code)] = code > 0 ? code_correct / code : nan;        // NaN: no code responses
  m[key(Metric::accuracy_language)] = lang > 0 ? lang_correct / lang : nan;
  if (all_strict) m[key(Metric::code_frequency_strict)] = n > 0 ? strict / n : nan;
  if (all_boxed) m[key(Metric::boxed_rate)] = n > 0 ? boxed / n : nan;
  return m;
}

double eval_mean_tokens(const std::vector<int64_t>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double len = 0;
  for (int64_t t : values) len += static_cast<double>(t);
  return len / static_cast<double>(values.size());
}

}  // namespace rlvr
