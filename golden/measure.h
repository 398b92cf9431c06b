// measure.h: one claim measured from the results store, over every seed of the suite's cells, with
// the statistics of golden/README.md: per-problem paired differences within each run (gain,
// contrast) or the mean of a step metric over a step range (marker); the spread over seeds; and a
// floor for that spread from independent per-problem flips (or per-step noise). Reads only
// through the Store API.
#pragma once
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "golden/golden.h"
#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {

inline constexpr int64_t kBootstrapResamples = 2000;

// Which runs a measurement reads, per cell ("model/reward" -> mutant name). Cells not listed
// read the real (unmutated) runs: `rlvrbench power` judges a mutant's cells beside the control's.
using MutantByCell = std::map<std::string, std::string>;

struct Measurement {
  enum class State { ok, missing, failed };
  State state = State::missing;
  std::string note;  // why missing / failed, one line
  std::vector<int64_t> seeds, runs;
  std::vector<std::string> commits, devices;  // distinct, in run order
  int64_t problems = 0;                       // gain, contrast: paired problems per run
  int64_t steps = 0;                          // marker: steps averaged per run
  double baseline = NAN, final_value = NAN;   // gain: means over seeds
  double gain = NAN;                          // the claim's value: gain, contrast or marker mean
  std::vector<double> seed_gains;             // the value of each seed (natural units)
  // Per seed: the standard error of its value within its run, on the judged scale (gain, contrast:
  // sd over problems of the paired differences / sqrt(problems); marker: over steps, log markers
  // by the delta method). The noise certainly in one seed's value (v3's floor).
  std::vector<double> seed_se;
  double value_judged = NAN;                  // the value on the judged scale (log markers: mean of logs)
  double se_problems = 0;  // bootstrap SE over problems of the seed-mean (gain, contrast)
  double sd_seeds = NAN;   // sample sd of the per-seed values (NaN for one seed); log units for log markers
  // The spread of one seed's value if seeds differed only by independent per-problem flips
  // (n >= 2: the mean over problems of the between-seed variance of each problem's difference,
  // each at least flip_variance_floor;
  // one seed: se_problems) or, for markers, by per-step noise (SE of the mean over steps).
  double noise_floor = 0, noise_floor_df = 0;
  // The paper statistic (golden/README.md): binomial floor, combined SE, 95% interval.
  double se_floor = 0, se = 0, crit = 0, lo = NAN, hi = NAN;
  int64_t pairs_up = 0, pairs_down = 0;  // McNemar's discordant pairs (0 -> 1, 1 -> 0), gain claims
  double mcnemar_p = NAN;                // mid-p, gain != 0
  // v2: the spread of one seed's value this measurement estimates, max(sd_seeds, noise_floor), and
  // its df: n - 1 with several seeds (no cap fitted to any run), the floor's with one.
  double sd_one_seed() const;
  double sd_one_seed_df() const;
};

// The least between-seed variance one problem's value x[seed] is credited with: the Jeffreys
// posterior mean of p (1 - p), p the problem's chance to differ from its most common value, for k
// of n seeds that did (k = 0: 0.5 (n + 0.5) / ((n + 1) (n + 2)), 0.0285 for 15 seeds).
double flip_variance_floor(const std::vector<double>& x);

// Measures claim `e` (its kind, cells, metric, step or step range, dataset) over the seeds the
// suite gives its cells. Per seed the latest run (highest id) of the cell with the cell's mutant
// counts. A failed or killed run -> failed; no run, a run still running, or missing eval items or
// step metrics -> missing. The bootstrap seed is a hash of the claim, so a claim's numbers never
// depend on the others.
Measurement measure_claim(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants = {});

}  // namespace rlvr
