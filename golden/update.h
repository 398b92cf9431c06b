// update.h: `rlvrbench golden update`: measure every cell of a suite and write the golden that
// claims exactly what was measured (band rule in golden/README.md), for when a change is intended.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "golden/golden.h"
#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {


struct GoldenUpdate {
  Golden golden;
  std::vector<std::string> unmeasured;  // "model/reward metric: why" for claims not measured
};

// Whether a golden of `seeds` seeds can flag one fresh seed at level alpha by relabeling
// (seeds + 1 >= 1 / alpha): then `golden update` writes statistic v3, else v2.
bool golden_permutation_possible(size_t seeds, double alpha);

// The claims a measured golden of `suite` holds: per cell, accuracy and code_frequency gains at
// the final step and every marker metric over steps 1..final; per declared contrast, both metrics.
std::vector<GoldenEntry> golden_claims_of(const Suite& suite);

// Claims accuracy and code_frequency of every cell at its final step (`steps`) on its dataset.
// Unmeasured claims keep their entry from `old` when it has one. `platform` and `date` go into
// the provenance (the caller knows the machine and the clock; tests pass fixed values).
GoldenUpdate golden_update(Store& st, const Suite& suite, const std::optional<Golden>& old,
                           const std::string& golden_path, const std::string& platform, const std::string& date);

}  // namespace rlvr
