#include "golden/measure.h"

#include <algorithm>
#include <map>

#include "golden/stats.h"

namespace rlvr {

namespace {

bool item_value(const EvalItem& it, const std::string& metric) { return metric == "accuracy" ? it.correct : it.has_code; }

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

}  // namespace

Measurement measure_cell(Store& st, const Suite& suite, const std::string& cell, const std::string& metric,
                         int64_t step, const std::string& dataset) {
  Measurement m;
  for (const auto& c : suite.cells)
    if (c.cell == cell) m.seeds.push_back(c.seed);
  if (m.seeds.empty()) {
    m.note = "no cell " + cell + " in suite " + suite.info.name;
    return m;
  }
  const std::string where = "eval '" + dataset + "'";
  std::vector<std::string> problem_ids;   // of the first seed; every seed must match it
  std::vector<std::vector<double>> diffs; // [seed][problem]: value at step - value at step 0
  std::vector<double> base, fin;
  for (int64_t seed : m.seeds) {
    RunFilter f;
    f.suite = suite.info.name;
    f.cell = cell;
    f.seed = seed;
    auto runs = st.runs_find(f);
    std::string s = "seed " + std::to_string(seed);
    if (runs.empty()) {
      m.note = s + ": no run";
      return m;
    }
    const RunRow& r = runs.back();
    s += " (run " + std::to_string(r.id) + ")";
    m.runs.push_back(r.id);
    add_distinct(m.commits, r.info.git_commit);
    add_distinct(m.devices, r.info.device);
    if (r.status == "failed" || r.status == "killed") {
      m.state = Measurement::State::failed;
      m.note = s + ": " + r.status + (r.fail_step ? " at step " + std::to_string(*r.fail_step) : std::string()) +
               (r.fail_reason ? ": " + *r.fail_reason : std::string());
      return m;
    }
    if (r.status != "finished") {
      m.note = s + ": still " + r.status;
      return m;
    }
    auto i0 = st.eval_items(r.id, 0, dataset), iT = st.eval_items(r.id, step, dataset);
    if (i0.empty() || iT.empty()) {
      m.note = s + ": no per-problem " + where + " items at step " + std::to_string(i0.empty() ? 0 : step);
      return m;
    }
    bool same = i0.size() == iT.size();
    for (size_t k = 0; same && k < i0.size(); ++k)
      same = i0[k].problem_id == iT[k].problem_id && i0[k].sample == iT[k].sample;
    if (!same) {
      m.note = s + ": steps 0 and " + std::to_string(step) + " evaluated different problems or samples";
      return m;
    }
    for (size_t k = 0; k < i0.size(); ++k) {
      bool a = item_value(i0[k], metric), b = item_value(iT[k], metric);
      m.pairs_up += !a && b;
      m.pairs_down += a && !b;
    }
    auto p0 = per_problem(i0, metric), pT = per_problem(iT, metric);
    std::vector<std::string> ids;
    std::vector<double> d;
    double s0 = 0, sT = 0;
    for (size_t k = 0; k < p0.size(); ++k) {
      ids.push_back(p0[k].first);
      d.push_back(pT[k].second - p0[k].second);
      s0 += p0[k].second;
      sT += pT[k].second;
    }
    if (problem_ids.empty()) problem_ids = ids;
    else if (ids != problem_ids) {
      m.note = s + ": evaluated other problems than seed " + std::to_string(m.seeds[0]);
      return m;
    }
    base.push_back(s0 / p0.size());
    fin.push_back(sT / pT.size());
    m.seed_gains.push_back(fin.back() - base.back());
    diffs.push_back(std::move(d));
  }

  const int64_t n = static_cast<int64_t>(m.seeds.size());
  m.problems = static_cast<int64_t>(problem_ids.size());
  m.baseline = stats::mean(base);
  m.final_value = stats::mean(fin);
  m.gain = stats::mean(m.seed_gains);
  // Seed-mean of each problem's difference: resampling problems keeps the pairing (same problem
  // at step 0 and at `step`, in every seed), which is what makes the test paired.
  std::vector<double> dbar(m.problems, 0.0);
  for (const auto& d : diffs)
    for (int64_t p = 0; p < m.problems; ++p) dbar[p] += d[p] / n;
  uint64_t seed = stats::fnv1a(suite.info.name + "/" + cell + "/" + metric + "/" + std::to_string(step) + "/" + dataset);
  m.se_problems = stats::bootstrap_se_mean(dbar, kBootstrapResamples, seed);
  m.se_floor = stats::binomial_se(m.final_value, m.problems);
  if (n >= 2) {
    m.sd_seeds = stats::sd(m.seed_gains);
    const double a = m.se_problems * m.se_problems, b = m.sd_seeds * m.sd_seeds / n;
    m.se = std::sqrt(a + b);
    m.crit = stats::t_crit95(stats::welch_df(a, m.problems - 1, b, n - 1));
  } else {
    m.se = std::max(m.se_problems, m.se_floor);
    m.crit = stats::t_crit95(0);
  }
  m.lo = m.gain - m.crit * m.se;
  m.hi = m.gain + m.crit * m.se;
  m.mcnemar_p = stats::mcnemar_midp(m.pairs_up, m.pairs_down);
  m.state = Measurement::State::ok;
  return m;
}

}  // namespace rlvr
