// gain_summary.h: a run's gain on one dataset and a cell's gains summarized over seeds.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace rlvr::report {

// Gain of one run on one dataset: value at its last eval step minus value at step 0.
struct RunGain {
  int64_t run = 0, seed = 0, last_step = 0;
  double base = 0, last = 0;
};

// Mean of a cell's per-seed gains with Student's 95% interval over the seeds (mean +- t(n-1) sd/sqrt(n));
// no interval below 2 seeds. Fractions, as the gains are.
struct GainSummary {
  size_t seeds = 0;
  double mean = 0, sd = 0;
  std::optional<double> lo, hi;
};
GainSummary gain_summary(const std::vector<RunGain>& gains);

}  // namespace rlvr::report
