// report_data.h: everything the report draws, read once from the results store.
//
// A cell is (suite, cell name); its seeds are the latest run (highest id) of each seed, the rule
// `compare` judges by, so a rerun replaces its predecessor instead of being averaged with it.
// Means over seeds use finished runs only (a failed or killed run's curve is drawn, dashed, but
// is not the cell's result). Values are fractions in [0, 1], as stored.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/decompose.h"
#include "report/gain_summary.h"
#include "results/metric.h"
#include "results/store.h"

namespace rlvr::report {

struct CellRuns {
  std::string suite, cell, model, reward;
  std::string label;          // cell name without its "model/" prefix (the legend entry)
  std::vector<RunRow> seeds;  // latest run per seed, by seed
};

// Problems of one cell and dataset split by the strategy at step 0 and at the last step
// (group index: 0 code->code, 1 language->code, 2 code->language, 3 language->language), summed
// over the finished seeds; pairs are (problem_id, sample) present at both steps.
struct SwitchRow {
  std::string suite, cell, dataset;
  int64_t runs = 0, last_step = 0, pairs = 0;
  std::array<int64_t, 4> n{}, correct0{}, correct_last{};
};
inline constexpr std::array<const char*, 4> kSwitchGroups = {"code \u2192 code", "language \u2192 code",
                                                             "code \u2192 language", "language \u2192 language"};


struct ReportData {
  std::string db_path, created_at;
  int64_t schema_version = 0;
  std::vector<RunRow> all_runs;     // every run, reruns included (provenance)
  std::vector<CellRuns> cells;      // sorted by suite, model, cell
  std::vector<std::string> datasets;  // every evaluated dataset, sorted
  // evals[run][dataset][metric]: accuracy and code_frequency curves.
  std::map<int64_t, std::map<std::string, std::map<std::string, std::vector<CurvePoint>>>> evals;
  // steps[run][key]: the clip-fraction step metrics.
  std::map<int64_t, std::map<std::string, std::vector<CurvePoint>>> steps;
  std::vector<SwitchRow> switches;
  std::vector<DecomposeRow> decomposition;  // accuracy change = strategy shift + within (decompose.h)
  // Things a reader must know that the figures cannot show (cells without eval rows, ...).
  std::vector<std::string> notes;

  // Gains of a cell's finished seeds on `dataset` for `metric` (runs without a step-0 eval skipped).
  std::vector<RunGain> gains(const CellRuns& c, const std::string& dataset, const std::string& metric) const;
  const std::vector<CurvePoint>* eval_curve(int64_t run, const std::string& dataset, const std::string& metric) const;
};

// Reads the report's data. InputError naming the file when there are no runs or when no run has
// any eval rows (there would be nothing to draw); single cells without eval rows become notes.
ReportData report_data_load(Store& st);

}  // namespace rlvr::report
