// report_golden.h: what the report needs from a golden file, behind a small interface so that the
// report builds and works without golden support (the golden part is optional).
//
// Filled by golden_view_load() from golden/ (rlvr_golden: golden_load + suite_load +
// compare_golden) when that library is part of the build (RLVR_HAVE_GOLDEN); otherwise asking for
// a golden is bad input with a message that says so. Nothing here invents a verdict.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/store.h"

namespace rlvr::report {

// One claim of the golden: the gain a cell's metric should show at `step`, +- band (fractions).
// kind "contrast" and "marker" claims (golden/README.md) carry their label; only "gain" claims
// are drawn as bands on the gain figure.
struct GoldenBand {
  std::string cell, dataset, metric;
  int64_t step = 0;
  double baseline = 0, gain = 0, band = 0;
  std::string kind = "gain", label;
  bool log_scale = false;  // a marker judged on log(value): its band is a factor, exp(band)
};

// One judged claim, as `rlvrbench compare` prints it.
struct VerdictRow {
  GoldenBand claim;
  std::string verdict;               // PASS, REGRESSION, IMPROVED, MISSING, FAILED RUN
  std::optional<double> gain, lo, hi;  // measured mean gain over seeds and its 95% interval (paper statistic)
  int64_t seeds = 0;
  std::string note;
  std::optional<double> t, p;          // statistic v2: the claim's t and p (none for exact claims)
  bool exact = false;
};

struct GoldenView {
  std::string golden_path, suite_path, suite;
  std::vector<VerdictRow> rows;  // in golden order
  int exit_status = 0;           // what `compare` would exit with (0 all PASS, 1 otherwise)
};

// Judges the golden against the store for the suite file. InputError for bad files.
// `baseline_suite_path` (may be ""): an eval-only suite whose step-0 spreads flag small gains
// (golden/baseline.h); the flag is appended to the row's note.
GoldenView golden_view_load(Store& st, const std::string& golden_path, const std::string& suite_path,
                            const std::string& baseline_suite_path = "");

}  // namespace rlvr::report
