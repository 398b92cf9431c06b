#include "golden/compare.h"

#include <algorithm>
#include <set>

#include "util/error.h"

namespace rlvr {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "PASS";
    case Verdict::regression: return "REGRESSION";
    case Verdict::improved: return "IMPROVED";
    case Verdict::missing: return "MISSING";
    case Verdict::failed_run: return "FAILED RUN";
  }
  return "?";
}

Verdict judge(const GoldenEntry& e, const Measurement& m) {
  if (m.state == Measurement::State::failed) return Verdict::failed_run;
  if (m.state == Measurement::State::missing) return Verdict::missing;
  if (m.hi < e.gain - e.band) return Verdict::regression;
  if (m.lo > e.gain + e.band) return Verdict::improved;
  return Verdict::pass;
}

int Comparison::exit_status() const {
  for (const auto& r : rows)
    if (r.verdict != Verdict::pass) return kExitVerdict;
  return kExitOk;
}

Comparison compare_golden(Store& st, const Suite& suite, const Golden& golden) {
  if (golden.suite != suite.info.name)
    throw_input(golden.path, "suite: '" + golden.suite + "' but " + suite.info.path + " is suite '" + suite.info.name + "'");
  st.runs_reap_stale();
  Comparison c;
  c.suite = suite.info.name;
  c.suite_path = suite.info.path;
  c.golden_path = golden.path;
  c.db_path = st.path();
  std::set<std::string> claimed;
  for (const auto& e : golden.entries) {
    Measurement m = measure_cell(st, suite, e.cell(), e.metric, e.step, e.dataset);
    Verdict v = judge(e, m);
    c.rows.push_back({e, std::move(m), v});
    claimed.insert(e.cell());
  }
  for (const auto& cell : suite.cells)
    if (!claimed.count(cell.cell) &&
        std::find(c.unclaimed_cells.begin(), c.unclaimed_cells.end(), cell.cell) == c.unclaimed_cells.end())
      c.unclaimed_cells.push_back(cell.cell);
  return c;
}

}  // namespace rlvr
