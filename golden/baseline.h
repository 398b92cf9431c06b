// baseline.h: how much a model's step-0 score moves with how it is asked ("baseline
// sensitivity"). An eval-only suite (train.steps = 0, e.g. suites/baseline.toml: one cell per
// prompt template) measures each model's step-0 accuracy several ways; the spread (max - min over
// those cells) is the change a re-scoring alone produces. A claimed gain smaller than it is no
// evidence of learning, so `compare --baseline-suite S` flags it beside its verdict.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "golden/compare.h"
#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {


// Per model and metric (accuracy, code_frequency) of `baseline`: the step-0 value of each cell's
// latest finished run (the mean over its seeds), and their range. Models with fewer than two
// evaluated cells give no spread. Only the suite's dataset is read.
std::vector<BaselineSpread> baseline_spreads(Store& st, const Suite& baseline);

// The spread of `model` and `metric` in `spreads`, if measured.
const BaselineSpread* baseline_spread_find(const std::vector<BaselineSpread>& spreads, const std::string& model,
                                           const std::string& metric);

// Marks every gain claim of `c` whose claimed or measured |gain| is below its model's spread
// (Judged::baseline_note), and keeps the spreads for printing.
void comparison_flag_baselines(Comparison& c, const std::vector<BaselineSpread>& spreads);

}  // namespace rlvr
