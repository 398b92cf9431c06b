// suite_run.h: a suite cell (suites/suite.h) -> the run config the trainer reads. Shared by
// `rlvrbench train --suite S --cell NAME` (one CTest test per cell) and `rlvrbench run SUITE`.
#pragma once
#include <string>
#include <vector>

#include "results/store.h"
#include "rl/run_config.h"
#include "suites/suite.h"

namespace rlvr {

// For zoo suites: model.path, data.train, data.eval (the zoo model's folder and its train.jsonl /
// eval.jsonl) and model.template (the zoo spec's chat template) come first; then the cell's set
// (defaults, reward and overrides of the suite); then run.name = model/reward, run.suite; then `extra`.
RunConfig suite_cell_config(const Suite& suite, const SuiteCell& cell, const std::vector<std::string>& extra);

// Whether the database holds a finished run of this cell (suite, cell, seed, mutant) whose
// recorded config is exactly `cfg`: `power` reuses it, `run --resume` skips the cell.
bool suite_cell_finished(Store& store, const Suite& suite, const SuiteCell& cell, const RunConfig& cfg);

// The suite's golden file: its `golden` field, relative to the source tree unless absolute.
std::string suite_golden_path(const Suite& suite);

// Every run key a suite's mutants set must be a run key: InputError "SUITE: mutant[i].set.KEY: ..."
// (the suite parser is torch-free and does not know the run keys; the trainer does).
void suite_mutants_check(const Suite& suite);

}  // namespace rlvr
