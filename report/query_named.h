// query_named.h: the named queries of `rlvrbench query` (the questions people ask the results
// database most), each one read-only SQL on the schema of results/README.md.
#pragma once
#include <string>
#include <vector>

#include "report/query_table.h"
#include "report/report_db.h"
#include "report/report_golden.h"
#include "results/metric.h"

namespace rlvr::report {

struct NamedQuery {
  const char* name;
  const char* help;  // one line for `query --help`
};

// cells, curves, decompose, gains, runs, verdicts (sorted by name).
const std::vector<NamedQuery>& named_queries();

struct QueryArgs {
  std::string cell;                  // curves: the cell name (runs.cell); decompose: only this cell
  std::vector<int64_t> seeds;        // decompose: only these seeds (empty: every seed)
  std::string metric = metric_cstr(Metric::accuracy);   // curves: an eval metric or a step metric key
  const GoldenView* golden = nullptr;  // verdicts: the judged golden (null: not given)
};

// Runs the named query. InputError for an unknown name, a missing --cell, an unknown cell or
// metric (the message lists what exists), or `verdicts` without a golden.
Table query_named(ReadOnlyDb& db, const std::string& name, const QueryArgs& args);

// The verdict rows as a table (used by query_named and by tests).
Table verdict_table(const GoldenView& g);

}  // namespace rlvr::report
