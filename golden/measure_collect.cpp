// measure_collect.cpp: a claim's runs, eval items and step metrics, read through the Store API
// and checked: the latest run per seed, finished, evaluated on the same problems at both steps.
#include "golden/measure_collect.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "results/metric.h"

namespace rlvr {

namespace {

// How each golden eval metric (kGoldenMetrics) reads one graded response. Looked up, never
// defaulted: a metric without a row here is a programming error, not code frequency.
struct ItemReader {
  std::string_view metric;
  bool (*value)(const EvalItem&);
};
constexpr ItemReader kItemReaders[] = {
    {metric_key(Metric::accuracy), [](const EvalItem& it) { return it.correct; }},
    {metric_key(Metric::code_frequency), [](const EvalItem& it) { return it.has_code; }},
};
static_assert(std::size(kItemReaders) == std::size(kGoldenMetrics), "every golden metric needs an item reader");

bool item_value(const EvalItem& it, const std::string& metric) {
  for (const ItemReader& r : kItemReaders)
    if (r.metric == metric) return r.value(it);
  throw std::logic_error("golden: no item reader for eval metric '" + metric + "'");
}

void add_distinct(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Per-problem value: the mean over the problem's samples (greedy: one sample).
std::vector<std::pair<std::string, double>> per_problem(const std::vector<EvalItem>& items, const std::string& metric) {
  std::vector<std::pair<std::string, double>> out;
  std::vector<int64_t> counts;
  for (const auto& it : items) {
    if (out.empty() || out.back().first != it.problem_id) {
      out.emplace_back(it.problem_id, 0.0);
      counts.push_back(0);
    }
    out.back().second += item_value(it, metric);
    ++counts.back();
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].second /= counts[i];
  return out;
}

// The mutant whose runs `cell` reads ("" = the real runs).
std::string mutant_of(const MutantByCell& mutants, const std::string& cell) {
  auto it = mutants.find(cell);
  return it == mutants.end() ? std::string() : it->second;
}

// The seeds the suite gives the claim's cell, into m.seeds; false (with m.note) when it has none.
bool claim_seeds(const Suite& suite, const GoldenEntry& e, Measurement& m) {
  for (const auto& c : suite.cells)
    if (c.cell == e.cell()) m.seeds.push_back(c.seed);
  if (m.seeds.empty()) m.note = "no cell " + e.cell() + " in suite " + suite.info.name;
  return !m.seeds.empty();
}

// The latest run of (cell, seed, mutant), or nullopt with m.state / m.note set.
std::optional<RunRow> latest_run(Store& st, const Suite& suite, const std::string& cell, int64_t seed,
                                 const std::string& mutant, Measurement& m) {
  RunFilter f;
  f.suite = suite.info.name;
  f.cell = cell;
  f.seed = seed;
  f.mutant = mutant;
  auto runs = st.runs_find(f);
  std::string s = cell + (mutant.empty() ? "" : "@" + mutant) + " seed " + std::to_string(seed);
  if (runs.empty()) {
    m.note = s + ": no run";
    return std::nullopt;
  }
  const RunRow& r = runs.back();
  s += " (run " + std::to_string(r.id) + ")";
  m.runs.push_back(r.id);
  add_distinct(m.commits, r.info.git_commit);
  add_distinct(m.devices, r.info.device);
  if (r.status == RunStatus::failed || r.status == RunStatus::killed) {
    m.state = Measurement::State::failed;
    m.note = s + ": " + std::string(enum_name(r.status)) + (r.fail_step ? " at step " + std::to_string(*r.fail_step) : std::string()) +
             (r.fail_reason ? ": " + *r.fail_reason : std::string());
    return std::nullopt;
  }
  if (r.status != RunStatus::finished) {
    m.note = s + ": still " + std::string(enum_name(r.status));
    return std::nullopt;
  }
  return r;
}

// One run's paired per-problem differences (value at `step` minus step 0), with ids and means.
// Step 0 reads the levels themselves (base 0): a contrast at step 0 compares two eval-only cells.
struct RunDiffs {
  std::vector<std::string> ids;
  std::vector<double> d;
  double base = 0, fin = 0;
};
std::optional<RunDiffs> run_diffs(Store& st, int64_t run, const std::string& label, const std::string& metric, int64_t step,
                                  const std::string& dataset, Measurement& m) {
  auto i0 = st.eval_items(run, 0, dataset), iT = st.eval_items(run, step, dataset);
  if (i0.empty() || iT.empty()) {
    m.note = label + ": no per-problem eval '" + dataset + "' items at step " + std::to_string(i0.empty() ? 0 : step);
    return std::nullopt;
  }
  bool same = i0.size() == iT.size();
  for (size_t k = 0; same && k < i0.size(); ++k) same = i0[k].problem_id == iT[k].problem_id && i0[k].sample == iT[k].sample;
  if (!same) {
    m.note = label + ": steps 0 and " + std::to_string(step) + " evaluated different problems or samples";
    return std::nullopt;
  }
  const bool level = step == 0;
  for (size_t k = 0; k < i0.size() && !level; ++k) {
    bool a = item_value(i0[k], metric), b = item_value(iT[k], metric);
    m.pairs_up += !a && b;
    m.pairs_down += a && !b;
  }
  auto p0 = per_problem(i0, metric), pT = per_problem(iT, metric);
  RunDiffs r;
  for (size_t k = 0; k < p0.size(); ++k) {
    r.ids.push_back(p0[k].first);
    r.d.push_back(level ? pT[k].second : pT[k].second - p0[k].second);
    r.base += level ? 0.0 : p0[k].second;
    r.fin += pT[k].second;
  }
  r.base /= static_cast<double>(p0.size());
  r.fin /= static_cast<double>(pT.size());
  return r;
}

}  // namespace

std::optional<EvalSeries> collect_eval(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                       Measurement& m) {
  const bool contrast = e.kind == ClaimKind::contrast;
  if (!claim_seeds(suite, e, m)) return std::nullopt;
  std::vector<std::string> problem_ids;  // of the first seed; every seed (and cell) must match it
  EvalSeries out;
  for (int64_t seed : m.seeds) {
    auto ra = latest_run(st, suite, e.cell(), seed, mutant_of(mutants, e.cell()), m);
    if (!ra) return std::nullopt;
    auto da = run_diffs(st, ra->id, e.cell() + " seed " + std::to_string(seed), e.metric, e.step, e.dataset, m);
    if (!da) return std::nullopt;
    if (contrast) {
      auto rb = latest_run(st, suite, e.minus_cell(), seed, mutant_of(mutants, e.minus_cell()), m);
      if (!rb) return std::nullopt;
      auto db = run_diffs(st, rb->id, e.minus_cell() + " seed " + std::to_string(seed), e.metric, e.step, e.dataset, m);
      if (!db) return std::nullopt;
      if (db->ids != da->ids) {
        m.note = e.minus_cell() + " seed " + std::to_string(seed) + ": evaluated other problems than " + e.cell();
        return std::nullopt;
      }
      for (size_t k = 0; k < da->d.size(); ++k) da->d[k] -= db->d[k];  // paired per problem and seed
      da->base -= db->base;
      da->fin -= db->fin;
    }
    if (problem_ids.empty()) problem_ids = da->ids;
    else if (da->ids != problem_ids) {
      m.note = e.cell() + " seed " + std::to_string(seed) + ": evaluated other problems than seed " + std::to_string(m.seeds[0]);
      return std::nullopt;
    }
    out.base.push_back(da->base);
    out.fin.push_back(da->fin);
    out.diffs.push_back(std::move(da->d));
  }
  return out;
}

std::optional<MarkerSeries> collect_marker(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                           Measurement& m) {
  const std::string mutant = mutant_of(mutants, e.cell());
  if (!claim_seeds(suite, e, m)) return std::nullopt;
  MarkerSeries out;
  for (int64_t seed : m.seeds) {
    auto r = latest_run(st, suite, e.cell(), seed, mutant, m);
    if (!r) return std::nullopt;
    std::vector<double> x;
    for (const auto& p : st.metric_curve(r->id, e.metric))
      if (p.step >= e.step_from && p.step <= e.step_to && p.value) x.push_back(*p.value);
    const auto want = e.step_to - e.step_from + 1;
    if (static_cast<int64_t>(x.size()) != want) {
      m.note = e.cell() + " seed " + std::to_string(seed) + ": " + std::to_string(x.size()) + " of " + std::to_string(want) +
               " steps of '" + e.metric + "' logged in steps " + std::to_string(e.step_from) + ".." + std::to_string(e.step_to);
      return std::nullopt;
    }
    out.values.push_back(std::move(x));
  }
  return out;
}

std::optional<std::vector<double>> collect_probe(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants,
                                                 Measurement& m) {
  if (!claim_seeds(suite, e, m)) return std::nullopt;
  std::vector<double> out;
  for (int64_t seed : m.seeds) {
    auto r = latest_run(st, suite, e.cell(), seed, mutant_of(mutants, e.cell()), m);
    if (!r) return std::nullopt;
    const std::map<std::string, double> v = st.eval_metrics(r->id, 0, e.dataset);
    auto it = v.find(e.metric);
    if (it == v.end()) {
      m.note = e.cell() + " seed " + std::to_string(seed) + ": no '" + e.metric + "' on '" + e.dataset +
               "' at step 0 (the cell needs eval.probe)";
      return std::nullopt;
    }
    if (auto n = v.find(metric_cstr(Metric::probe_problems)); n != v.end()) m.problems = static_cast<int64_t>(n->second);
    out.push_back(it->second);
  }
  return out;
}

}  // namespace rlvr
