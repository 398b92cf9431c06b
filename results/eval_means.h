// eval_means.h: the means an evaluation stores (evals rows) from its graded responses (eval_items
// rows): one function for rlvrbench's evaluator and for runs ingested from other trainers, so the
// two can never compute a metric differently.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "results/store.h"

namespace rlvr {

// accuracy, code_frequency, accuracy_code and accuracy_language (NaN when that strategy has no
// response), and code_frequency_strict and boxed_rate when every item carries them. NaN means of
// an empty evaluation.
std::map<std::string, double> eval_item_means(const std::vector<EvalItem>& items);

// The mean of `values` (response lengths in tokens), NaN when there are none.
double eval_mean_tokens(const std::vector<int64_t>& values);

}  // namespace rlvr
