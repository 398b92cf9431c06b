// measure_collect.h: what one claim reads from the results store, seed by seed, checked for
// completeness before any statistic is computed (measure.cpp). Internal to golden/.
#pragma once
#include <optional>
#include <vector>

#include "golden/measure.h"

namespace rlvr {

// A gain or contrast claim's data: per seed, the paired per-problem differences (value at the
// claim's step minus step 0; a contrast: the cell's minus the other cell's) and the means.
struct EvalSeries {
  std::vector<std::vector<double>> diffs;  // [seed][problem], problems in one order for every seed
  std::vector<double> base, fin;           // per seed: mean at step 0 and at the claim's step
};

// A marker claim's data: per seed, the step metric at every step of the claim's range.
struct MarkerSeries {
  std::vector<std::vector<double>> values;  // [seed][step]
};

// Fill m.seeds, m.runs, m.commits, m.devices (and the McNemar pair counts of a gain); on data that
// is missing or failed, set m.state / m.note and return nullopt.
std::optional<EvalSeries> collect_eval(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                       Measurement& m);
std::optional<MarkerSeries> collect_marker(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                           Measurement& m);
// A probe claim's data: per seed, the probe metric at step 0 (and m.problems, the problems probed).
std::optional<std::vector<double>> collect_probe(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                                 Measurement& m);

}  // namespace rlvr
