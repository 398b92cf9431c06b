// measure.h: one claim measured from the results store: the baseline (step 0) and value at
// `step` of a metric, over every seed of a suite cell, with the paired statistics of
// golden/README.md (per-problem differences within each run, bootstrap over problems, spread over
// seeds, binomial floor for one seed). Reads only through the Store API.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {

inline constexpr int64_t kBootstrapResamples = 2000;

struct Measurement {
  enum class State { ok, missing, failed };
  State state = State::missing;
  std::string note;  // why missing / failed, one line
  std::vector<int64_t> seeds, runs;
  std::vector<std::string> commits, devices;  // distinct, in run order
  int64_t problems = 0;                       // paired problems per run
  double baseline = NAN, final_value = NAN, gain = NAN;  // means over seeds
  std::vector<double> seed_gains;
  double se_problems = 0;  // bootstrap SE of the mean gain over problems
  double sd_seeds = NAN;   // sample sd of the per-seed gains (NaN for one seed)
  double se_floor = 0;     // binomial SE of the final value (used with one seed)
  double se = 0;           // combined standard error of `gain`
  double crit = 0;         // 1.96 for one seed, t(0.975, n - 1) for n seeds
  double lo = NAN, hi = NAN;                 // gain -+ crit * se
  int64_t pairs_up = 0, pairs_down = 0;      // McNemar's discordant pairs (0 -> 1, 1 -> 0)
  double mcnemar_p = NAN;                    // mid-p, gain != 0
};

// Measures `metric` ("accuracy": EvalItem::correct, "code_frequency": EvalItem::has_code) of the
// suite cell `cell` ("model/reward") at `step` on `dataset`, over the seeds the suite gives that
// cell. Per seed the latest run (highest id) counts. A failed or killed run -> failed; no run, a
// run still running, or missing eval items -> missing. The bootstrap seed is a hash of the claim
// (suite, cell, metric, step, dataset), so a claim's interval never depends on the others.
Measurement measure_cell(Store& st, const Suite& suite, const std::string& cell, const std::string& metric,
                         int64_t step, const std::string& dataset);

}  // namespace rlvr
