// db_merge.h: `rlvrbench db merge --out MERGED.db SHARD.db...`: the runs of several results
// databases (the shards of a suite run across a fleet) in one, every row and its provenance kept.
//
// A run is identified by where and when it ran: (suite, cell, seed, mutant, host, pid, started_at).
// A run already in the output with every column and row equal is skipped, so merging a shard twice
// adds nothing; the same run recorded differently in two files is bad input naming both. Inputs are
// opened read-only and must be at this build's schema version. The output is built in a temporary
// file beside it (starting from a copy of the existing output, if any) and renamed over it only
// when everything was copied, so a crash or an error leaves the old output (or none) intact.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rlvr {

struct MergeStats {
  int64_t files = 0;       // inputs read
  int64_t runs_added = 0;  // runs copied into the output
  int64_t runs_same = 0;   // runs the output already held, identical
  int64_t rows_added = 0;  // params, step_metrics, evals, eval_items and probe_items rows copied
};

// Throws InputError (exit 2, one line naming the file or files) on an input that is missing, not
// an rlvrbench database, of another schema version, or that records a run differently.
MergeStats db_merge(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace rlvr
