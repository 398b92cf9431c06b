// cells_run.h: training a selection of a suite's cells: cells another framework trains first (each
// ingested as it ends), then rlvrbench's own, in this process one after another, or as child
// processes `jobs` at a time (always for data-parallel cells).
#pragma once
#include <cstdint>
#include <string>

#include "results/store.h"
#include "runner/cell_select.h"

namespace rlvr {

struct CellsRun {
  int failed = 0;        // cells that did not finish
  int broken = 0;        // of them, cells whose environment broke (I/O error, disk full, a dead rank)
  bool stopped = false;  // a stop signal ended the run early
};

struct CellsRunOptions {
  std::string suite_path;  // where the cells' hooks say they come from
  int64_t jobs = 1;
  bool quiet = false;
  const char* prog = "rlvrbench run";  // the command's name for messages, and where rlvrbench-torch is
};

CellsRun cells_run(const Suite& suite, CellSelection& sel, Store& store, const CellsRunOptions& opt);

// The exit status of such a run: 4 when any cell's environment broke, else 1 when any failed or it
// was stopped, else 0.
int cells_run_status(const CellsRun& r);

}  // namespace rlvr
