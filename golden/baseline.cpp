// baseline.cpp: step-0 spreads of an eval-only suite, and the flags they put on gain claims.
#include "golden/baseline.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "golden/text.h"

namespace rlvr {

std::vector<BaselineSpread> baseline_spreads(Store& st, const Suite& baseline) {
  // (model, cell label) -> step-0 values over the cell's seeds, per metric.
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<double>>> values;
  for (const auto& cell : baseline.cells) {
    RunFilter f;
    f.suite = baseline.info.name;
    f.cell = cell.cell;
    f.seed = cell.seed;
    f.mutant = "";
    auto runs = st.runs_find(f);
    if (runs.empty() || runs.back().status != RunStatus::finished) continue;
    for (const char* metric : kGoldenMetrics)
      for (const CurvePoint& p : st.eval_curve(runs.back().id, cell.dataset, metric))
        if (p.step == 0 && p.value) values[{cell.model, cell.reward}][metric].push_back(*p.value);
  }
  std::map<std::pair<std::string, std::string>, BaselineSpread> by;  // (model, metric)
  for (const auto& [key, per_metric] : values)
    for (const auto& [metric, xs] : per_metric) {
      if (xs.empty()) continue;
      double mean = 0;
      for (double x : xs) mean += x / static_cast<double>(xs.size());
      auto [it, fresh] = by.try_emplace({key.first, metric});
      BaselineSpread& s = it->second;
      if (fresh) s = {baseline.info.name, key.first, baseline.cells.front().dataset, metric, mean, mean, key.second, key.second, 0};
      if (mean < s.lo) s.lo = mean, s.lo_cell = key.second;
      if (mean > s.hi) s.hi = mean, s.hi_cell = key.second;
      ++s.cells;
    }
  std::vector<BaselineSpread> out;
  for (auto& [k, s] : by)
    if (s.cells >= 2) out.push_back(s);
  return out;
}

const BaselineSpread* baseline_spread_find(const std::vector<BaselineSpread>& spreads, const std::string& model,
                                           const std::string& metric) {
  for (const auto& s : spreads)
    if (s.model == model && s.metric == metric) return &s;
  return nullptr;
}

void comparison_flag_baselines(Comparison& c, const std::vector<BaselineSpread>& spreads) {
  c.baselines = spreads;
  for (Judged& j : c.rows) {
    if (j.entry.kind != ClaimKind::gain) continue;
    const BaselineSpread* s = baseline_spread_find(spreads, j.entry.model, j.entry.metric);
    if (!s) continue;
    const double claimed = std::fabs(j.entry.gain);
    const double measured = std::isnan(j.m.gain) ? 0 : std::fabs(j.m.gain);
    if (std::max(claimed, measured) >= s->spread()) continue;
    j.baseline_note = "gain " + fmt("%+.1f", j.entry.gain * 100) + " is smaller than the step-0 spread " +
                      fmt("%.1f", s->spread() * 100) + " points over " + std::to_string(s->cells) + " ways of asking (" +
                      s->lo_cell + " " + fmt("%.1f", s->lo * 100) + "% .. " + s->hi_cell + " " + fmt("%.1f", s->hi * 100) +
                      "%, suite " + s->suite + ")";
  }
}

}  // namespace rlvr
