// decompose.h: a cell's accuracy change split into the strategy shift and the change within each
// strategy (a shift-share / Oaxaca identity), per run and summarized over seeds.
//
// An eval's accuracy is acc = c a_code + (1 - c) a_lang (c = code_frequency, a_code / a_lang the
// accuracy of the code / language responses), so between step 0 and the last eval
//   gain = shift + within,   shift  = (c1 - c0) (a_code0 - a_lang0)           [strategy shift x gap]
//                            within = c1 (a_code1 - a_code0) + (1 - c1) (a_lang1 - a_lang0)
// exactly. A strategy with no responses has no accuracy (NaN in the store): a term whose weight is
// exactly 0 is 0 (accuracies are bounded), and any other term that needs a missing accuracy makes
// the run's split undefined (gain kept, the reason said) instead of inventing a gap.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/query_table.h"
#include "report/gain_summary.h"
#include "report/report_db.h"

namespace rlvr::report {

// One eval's strategy metrics (nullopt: not stored, or NaN: no response of that strategy).
struct StrategyEval {
  std::optional<double> accuracy, code, acc_code, acc_lang;
};

struct Split {
  double gain = 0;
  std::optional<double> shift, within, within_code, within_lang;  // all set or all unset
  std::string undefined;  // why the split is undefined ("" when it is defined)
};

// The identity above for one run. Needs both accuracies and both code frequencies (InputError-free:
// a missing one leaves the split undefined with the reason).
Split decompose(const StrategyEval& s0, const StrategyEval& s1);

// One cell and dataset over its finished seeds (latest run per seed, as `gains`): means of the
// strategy metrics at step 0 and at the last eval (each over the seeds where it is defined), the
// gain over every seed, and shift / within over the seeds whose split is defined, each with
// Student's 95% interval. When split_seeds == seeds, shift + within == gain.
struct DecomposeRow {
  std::string suite, cell, dataset;
  int64_t last_step = 0;
  std::vector<int64_t> undefined_seeds;
  std::string undefined_reason;  // the first undefined seed's reason
  std::optional<double> code0, code1, acc_code0, acc_code1, acc_lang0, acc_lang1;
  double acc0 = 0, acc1 = 0;
  GainSummary gain, shift, within, within_code, within_lang;
};

// Reads every (suite, cell, dataset) with finished seeds that have a step-0 and a later eval;
// `cell` non-empty keeps that cell only (InputError listing the cells when it has no runs).
// `seeds` (non-empty): only runs of these seeds (a golden's, say), so a summary speaks of one seed set.
std::vector<DecomposeRow> decompose_load(ReadOnlyDb& db, const std::string& cell = "", const std::vector<int64_t>& seeds = {});

// The rows as a query table (fractions, as stored; intervals as lo/hi columns).
Table decompose_table(const std::vector<DecomposeRow>& rows);

}  // namespace rlvr::report
