// cell_select.h: which cells of a suite a `run` trains, and with which configs: a mutant's cells, one
// shard of the suite, an --only filter, and (with --resume) without those already finished.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "results/store.h"
#include "rl/run_config.h"
#include "suites/suite.h"

namespace rlvr {

struct CellFilter {
  std::string only;                 // "model=M,reward=R,seed=S" (any of them); "" = every cell
  std::string mutant;               // a suite mutant's name: its cells instead; "" = the suite's
  std::string shard;                // "I/N": shard I of N by estimated cost; "" = all
  std::vector<std::string> sets;    // run-key overrides for every cell (--set)
};

struct CellSelection {
  std::vector<SuiteCell> mutated;          // a mutant's cells (owned here; `cells` may point into it)
  std::vector<const SuiteCell*> cells;
  std::vector<RunConfig> configs;          // cells[i]'s config, validated: a typo fails before training
  bool judge = true;                       // false for a mutant or a shard: their verdicts would mislead
  bool empty_shard = false;                // a shard with no cell (more shards than cells)
};

// The cells `filter` picks from `suite` with their configs. InputError naming --only, --mutant or
// --shard on a bad value or an --only that matches nothing.
CellSelection cells_select(const Suite& suite, const CellFilter& filter);

// --resume: drops the cells `store` holds a finished run of with the same config; returns how many.
size_t cells_drop_finished(CellSelection& sel, Store& store, const Suite& suite);

}  // namespace rlvr
