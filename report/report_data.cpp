#include "report/report_data.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "golden/stats.h"
#include "util/error.h"

namespace rlvr::report {

namespace {

std::optional<double> value_at(const std::vector<CurvePoint>& c, int64_t step) {
  for (const CurvePoint& p : c)
    if (p.step == step) return p.value;
  return std::nullopt;
}

SwitchRow switch_row(Store& st, const CellRuns& c, const std::string& dataset) {
  SwitchRow row{c.suite, c.cell, dataset};
  for (const RunRow& r : c.seeds) {
    if (r.status != RunStatus::finished) continue;
    std::vector<int64_t> steps = st.eval_steps(r.id, dataset);
    if (steps.size() < 2 || steps.front() != 0) continue;
    std::vector<EvalItem> a = st.eval_items(r.id, 0, dataset), b = st.eval_items(r.id, steps.back(), dataset);
    if (a.empty() || b.empty()) continue;
    ++row.runs;
    row.last_step = std::max(row.last_step, steps.back());
    // Both lists are ordered by (problem_id, sample): a merge join pairs them.
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      auto ka = std::tie(a[i].problem_id, a[i].sample), kb = std::tie(b[j].problem_id, b[j].sample);
      if (ka < kb) { ++i; continue; }
      if (kb < ka) { ++j; continue; }
      int g = a[i].has_code ? (b[j].has_code ? 0 : 2) : (b[j].has_code ? 1 : 3);
      ++row.n[g];
      row.correct0[g] += a[i].correct;
      row.correct_last[g] += b[j].correct;
      ++row.pairs;
      ++i, ++j;
    }
  }
  return row;
}

}  // namespace

const std::vector<CurvePoint>* ReportData::eval_curve(int64_t run, const std::string& dataset,
                                                      const std::string& metric) const {
  auto r = evals.find(run);
  if (r == evals.end()) return nullptr;
  auto ds = r->second.find(dataset);
  if (ds == r->second.end()) return nullptr;
  auto m = ds->second.find(metric);
  return m == ds->second.end() ? nullptr : &m->second;
}

std::vector<RunGain> ReportData::gains(const CellRuns& c, const std::string& dataset, const std::string& metric) const {
  std::vector<RunGain> out;
  for (const RunRow& r : c.seeds) {
    if (r.status != RunStatus::finished) continue;
    const auto* curve = eval_curve(r.id, dataset, metric);
    if (!curve || curve->empty()) continue;
    auto base = value_at(*curve, 0);
    const CurvePoint& last = curve->back();
    if (!base || !last.value || last.step == 0) continue;
    out.push_back({r.id, r.info.seed, last.step, *base, *last.value});
  }
  return out;
}

GainSummary gain_summary(const std::vector<RunGain>& gains) {
  GainSummary g;
  std::vector<double> x;
  for (const RunGain& r : gains) x.push_back(r.last - r.base);
  g.seeds = x.size();
  if (x.empty()) return g;
  g.mean = stats::mean(x);
  g.sd = stats::sd(x);
  if (x.size() >= 2) {
    double half = stats::t_crit95(static_cast<int64_t>(x.size()) - 1) * g.sd / std::sqrt(static_cast<double>(x.size()));
    g.lo = g.mean - half, g.hi = g.mean + half;
  }
  return g;
}

ReportData report_data_load(Store& st) {
  ReportData d;
  d.db_path = st.path();
  d.schema_version = st.schema_version();
  d.created_at = st.created_at();
  d.all_runs = st.runs_find({});
  if (d.all_runs.empty()) throw_input(d.db_path, "no runs in this database (nothing to report)");

  // Latest run per (suite, cell, seed, mutant). A mutant's runs (`rlvrbench power`) show as their
  // own cell "model/reward@mutant": beside the real cell, never mixed into it or judged by its golden.
  std::map<std::tuple<std::string, std::string, int64_t>, const RunRow*> latest;
  auto shown_cell = [](const RunRow& r) { return r.info.mutant.empty() ? r.info.cell : r.info.cell + "@" + r.info.mutant; };
  for (const RunRow& r : d.all_runs) latest[{r.info.suite, shown_cell(r), r.info.seed}] = &r;  // ids ascend
  std::map<std::pair<std::string, std::string>, CellRuns> cells;
  for (const auto& [key, r] : latest) {
    CellRuns& c = cells[{r->info.suite, shown_cell(*r)}];
    c.suite = r->info.suite;
    c.cell = shown_cell(*r);
    c.model = r->info.model;
    c.reward = r->info.reward;
    std::string prefix = c.model + "/";
    c.label = c.cell.rfind(prefix, 0) == 0 && c.cell.size() > prefix.size() ? c.cell.substr(prefix.size()) : c.cell;
    c.seeds.push_back(*r);
  }
  for (auto& [k, c] : cells) d.cells.push_back(std::move(c));
  std::sort(d.cells.begin(), d.cells.end(), [](const CellRuns& a, const CellRuns& b) {
    return std::tie(a.suite, a.model, a.cell) < std::tie(b.suite, b.model, b.cell);
  });

  std::set<std::string> datasets;
  std::vector<std::string> no_evals;
  for (const CellRuns& c : d.cells) {
    bool any = false;
    for (const RunRow& r : c.seeds) {
      for (const std::string& ds : st.eval_datasets(r.id)) {
        datasets.insert(ds);
        for (const char* m : {metric_cstr(Metric::accuracy), metric_cstr(Metric::code_frequency)}) {
          auto curve = st.eval_curve(r.id, ds, m);
          any = any || !curve.empty();
          if (!curve.empty()) d.evals[r.id][ds][m] = std::move(curve);
        }
      }
      for (const char* k : {metric_cstr(Metric::clip_frac_low), metric_cstr(Metric::clip_frac_high)}) {
        auto curve = st.metric_curve(r.id, k);
        if (!curve.empty()) d.steps[r.id][k] = std::move(curve);
      }
    }
    if (!any) no_evals.push_back(c.suite.empty() ? c.cell : c.suite + ": " + c.cell);
  }
  d.datasets.assign(datasets.begin(), datasets.end());
  if (d.datasets.empty())
    throw_input(d.db_path, "no eval rows in any of its " + std::to_string(d.all_runs.size()) +
                               " runs (nothing to draw; did the runs reach their first eval?)");
  for (const std::string& c : no_evals)
    d.notes.push_back("cell " + c + ": no eval rows yet (no accuracy or code frequency logged): not drawn");

  for (const CellRuns& c : d.cells)
    for (const std::string& ds : d.datasets) {
      SwitchRow row = switch_row(st, c, ds);
      if (row.pairs > 0) d.switches.push_back(std::move(row));
    }
  ReadOnlyDb ro(st.path());
  d.decomposition = decompose_load(ro);
  return d;
}

}  // namespace rlvr::report
