// suite_shard.h: a deterministic, cost-balanced 1/N of a suite's cells (`run --shard I/N`,
// `suite list --shard I/N`, `suite shards`), so a fleet (a Slurm array, a Kubernetes Indexed Job,
// N CI runners) splits a suite with every cell run exactly once.
//
// A cell's cost is an estimate of its work in parameter-tokens (suite_cell_cost); the cells are
// assigned longest first, each to the least-loaded shard (ties: the lower shard), with cells of
// equal cost in suite order. Only the suite file, the zoo specs and the source tree feed it, so
// every machine computes the same partition whatever it has built or downloaded.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rl/run_config.h"
#include "suites/suite.h"

namespace rlvr {

// --shard I/N: shard I (0-based, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX) of N.
struct ShardSel {
  int64_t index = 0, count = 1;
};

// "I/N" with 0 <= I < N <= kMaxShards; InputError naming `flag` otherwise.
ShardSel shard_parse(const std::string& flag, const std::string& text);
inline constexpr int64_t kMaxShards = 4096;

// The model's parameters: the suite's `params`, else the zoo spec's size (zoo suites), else 1e9.
double suite_cell_params(const Suite& suite, const SuiteCell& cell);

// Estimated work of one cell, in parameter-tokens: per step the sampled tokens (P x G x response
// length) once for generation and about 5 times for training (old log-probs, forward and backward
// of every update), plus every evaluation (problems x new tokens), times the parameters.
double suite_cell_cost(const Suite& suite, const SuiteCell& cell, const RunConfig& cfg);

// The shard of each cost (longest processing time first; deterministic). count >= 1.
std::vector<int64_t> shard_assign(const std::vector<double>& costs, int64_t count);

// Indices into `cells` of shard `sel` (in the cells' order), with `costs[i]` the cost of cells[i].
std::vector<size_t> shard_select(const std::vector<double>& costs, ShardSel sel);

// The cost of every cell of `cells` under its resolved config.
// The suite's cells in shard `shard_text` ("I/N"; empty: every cell), in suite order.
std::vector<const SuiteCell*> suite_shard_cells(const Suite& s, const std::string& shard_text);

std::vector<double> suite_cells_costs(const Suite& suite, const std::vector<const SuiteCell*>& cells);

}  // namespace rlvr
