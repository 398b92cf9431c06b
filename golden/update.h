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

// Minimum band: one point of accuracy. Deterministic CPU runs can measure se = 0; a zero band
// would turn any later change, however harmless, into a failure.
inline constexpr double kMinBand = 0.01;

struct GoldenUpdate {
  Golden golden;
  std::vector<std::string> unmeasured;  // "model/reward metric: why" for claims not measured
};

// Claims accuracy and code_frequency of every cell at its final step (`steps`) on its dataset.
// Unmeasured claims keep their entry from `old` when it has one. `platform` and `date` go into
// the provenance (the caller knows the machine and the clock; tests pass fixed values).
GoldenUpdate golden_update(Store& st, const Suite& suite, const std::optional<Golden>& old,
                           const std::string& golden_path, const std::string& platform, const std::string& date);

}  // namespace rlvr
