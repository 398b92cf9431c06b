#include "golden/measure.h"

#include <algorithm>
#include <optional>

#include "golden/stats.h"

namespace rlvr {

namespace {

// Floor under a log-scale marker's mean: log(0) would be -inf. 1e-7 lies below every resolvable
// value (one clipped token in a rollout of 128 x 100 tokens over 30 steps is ~3e-7), so a run
// that never clips is judged as 1e-7 against a golden that clips 1e-3: 9 log units away.
constexpr double kLogFloor = kMarkerLogFloor;

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
  if (r.status == "failed" || r.status == "killed") {
    m.state = Measurement::State::failed;
    m.note = s + ": " + r.status + (r.fail_step ? " at step " + std::to_string(*r.fail_step) : std::string()) +
             (r.fail_reason ? ": " + *r.fail_reason : std::string());
    return std::nullopt;
  }
  if (r.status != "finished") {
    m.note = s + ": still " + r.status;
    return std::nullopt;
  }
  return r;
}

// One run's paired per-problem differences (value at `step` minus step 0), with ids and means.
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
  for (size_t k = 0; k < i0.size(); ++k) {
    bool a = item_value(i0[k], metric), b = item_value(iT[k], metric);
    m.pairs_up += !a && b;
    m.pairs_down += a && !b;
  }
  auto p0 = per_problem(i0, metric), pT = per_problem(iT, metric);
  RunDiffs r;
  for (size_t k = 0; k < p0.size(); ++k) {
    r.ids.push_back(p0[k].first);
    r.d.push_back(pT[k].second - p0[k].second);
    r.base += p0[k].second;
    r.fin += pT[k].second;
  }
  r.base /= static_cast<double>(p0.size());
  r.fin /= static_cast<double>(pT.size());
  return r;
}

// Seed noise of per-problem differences diffs[seed][problem]: bootstrap SE of the seed-mean over
// problems, sd of the per-seed means, and the independent-flip floor.
void problem_stats(Measurement& m, const std::vector<std::vector<double>>& diffs, uint64_t boot_seed) {
  const auto n = static_cast<int64_t>(diffs.size());
  m.problems = static_cast<int64_t>(diffs[0].size());
  std::vector<double> dbar(static_cast<size_t>(m.problems), 0.0);
  for (const auto& d : diffs)
    for (int64_t p = 0; p < m.problems; ++p) dbar[static_cast<size_t>(p)] += d[static_cast<size_t>(p)] / static_cast<double>(n);
  m.se_problems = stats::bootstrap_se_mean(dbar, kBootstrapResamples, boot_seed);
  if (n >= 2) {
    m.sd_seeds = stats::sd(m.seed_gains);
    // Between-seed variance of each problem's difference, averaged over problems, over N problems:
    // the variance of one seed's mean if its problems flipped independently of each other.
    double v = 0;
    for (int64_t p = 0; p < m.problems; ++p) {
      std::vector<double> x;
      for (const auto& d : diffs) x.push_back(d[static_cast<size_t>(p)]);
      double s = stats::sd(x);
      v += s * s;
    }
    m.noise_floor = std::sqrt(v / static_cast<double>(m.problems) / static_cast<double>(m.problems));
    m.noise_floor_df = static_cast<double>(m.problems * (n - 1));
  } else {
    m.noise_floor = m.se_problems;
    m.noise_floor_df = static_cast<double>(m.problems - 1);
  }
}

Measurement measure_eval(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants) {
  Measurement m;
  const bool contrast = e.kind == ClaimKind::contrast;
  if (!claim_seeds(suite, e, m)) return m;
  std::vector<std::string> problem_ids;    // of the first seed; every seed (and cell) must match it
  std::vector<std::vector<double>> diffs;  // [seed][problem]
  std::vector<double> base, fin;
  for (int64_t seed : m.seeds) {
    auto ra = latest_run(st, suite, e.cell(), seed, mutant_of(mutants, e.cell()), m);
    if (!ra) return m;
    auto da = run_diffs(st, ra->id, e.cell() + " seed " + std::to_string(seed), e.metric, e.step, e.dataset, m);
    if (!da) return m;
    if (contrast) {
      auto rb = latest_run(st, suite, e.minus_cell(), seed, mutant_of(mutants, e.minus_cell()), m);
      if (!rb) return m;
      auto db = run_diffs(st, rb->id, e.minus_cell() + " seed " + std::to_string(seed), e.metric, e.step, e.dataset, m);
      if (!db) return m;
      if (db->ids != da->ids) {
        m.note = e.minus_cell() + " seed " + std::to_string(seed) + ": evaluated other problems than " + e.cell();
        return m;
      }
      for (size_t k = 0; k < da->d.size(); ++k) da->d[k] -= db->d[k];  // paired per problem and seed
      da->base -= db->base;
      da->fin -= db->fin;
    }
    if (problem_ids.empty()) problem_ids = da->ids;
    else if (da->ids != problem_ids) {
      m.note = e.cell() + " seed " + std::to_string(seed) + ": evaluated other problems than seed " + std::to_string(m.seeds[0]);
      return m;
    }
    base.push_back(da->base);
    fin.push_back(da->fin);
    m.seed_gains.push_back(da->fin - da->base);
    diffs.push_back(std::move(da->d));
  }
  m.baseline = contrast ? NAN : stats::mean(base);
  m.final_value = contrast ? NAN : stats::mean(fin);
  m.gain = m.value_judged = stats::mean(m.seed_gains);
  problem_stats(m, diffs, stats::fnv1a(suite.info.name + "/" + e.label() + "/" + std::to_string(e.step) + "/" + e.dataset));

  // The paper statistic's interval (golden/README.md, "paper-binomial-band").
  const auto n = static_cast<int64_t>(m.seeds.size());
  m.se_floor = contrast ? 0.0 : stats::binomial_se(m.final_value, m.problems);
  if (n >= 2) {
    const double a = m.se_problems * m.se_problems, b = m.sd_seeds * m.sd_seeds / static_cast<double>(n);
    m.se = std::sqrt(a + b);
    m.crit = stats::t_crit95(stats::welch_df(a, m.problems - 1, b, n - 1));
  } else {
    m.se = std::max(m.se_problems, m.se_floor);
    m.crit = stats::t_crit95(0);
  }
  m.lo = m.gain - m.crit * m.se;
  m.hi = m.gain + m.crit * m.se;
  m.mcnemar_p = contrast ? NAN : stats::mcnemar_midp(m.pairs_up, m.pairs_down);
  m.state = Measurement::State::ok;
  return m;
}

Measurement measure_marker(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants) {
  Measurement m;
  const std::string mutant = mutant_of(mutants, e.cell());
  if (!claim_seeds(suite, e, m)) return m;
  const bool log = e.log_scale();
  std::vector<double> judged;  // per seed, on the judged scale
  double floor_var = 0;
  for (int64_t seed : m.seeds) {
    auto r = latest_run(st, suite, e.cell(), seed, mutant, m);
    if (!r) return m;
    std::vector<double> x;
    for (const auto& p : st.metric_curve(r->id, e.metric))
      if (p.step >= e.step_from && p.step <= e.step_to && p.value) x.push_back(*p.value);
    const auto want = e.step_to - e.step_from + 1;
    if (static_cast<int64_t>(x.size()) != want) {
      m.note = e.cell() + " seed " + std::to_string(seed) + ": " + std::to_string(x.size()) + " of " + std::to_string(want) +
               " steps of '" + e.metric + "' logged in steps " + std::to_string(e.step_from) + ".." + std::to_string(e.step_to);
      return m;
    }
    m.steps = want;
    const double mean = stats::mean(x), se = stats::sd(x) / std::sqrt(static_cast<double>(x.size()));
    m.seed_gains.push_back(mean);
    judged.push_back(log ? std::log(std::max(mean, kLogFloor)) : mean);
    // SE of the mean over steps, on the judged scale (delta method for log: se / mean).
    const double f = log ? (mean > kLogFloor ? se / mean : 0.0) : se;
    floor_var += f * f;
  }
  const auto n = static_cast<int64_t>(m.seeds.size());
  m.value_judged = stats::mean(judged);
  // Log scale: the geometric mean over seeds (0 when every seed was 0: an exact zero stays 0).
  const bool all_zero = std::all_of(m.seed_gains.begin(), m.seed_gains.end(), [](double v) { return v == 0.0; });
  m.gain = log ? (all_zero ? 0.0 : std::exp(m.value_judged)) : m.value_judged;
  if (n >= 2) m.sd_seeds = stats::sd(judged);
  m.noise_floor = std::sqrt(floor_var / static_cast<double>(n));
  m.noise_floor_df = static_cast<double>(n * (m.steps - 1));
  m.state = Measurement::State::ok;
  return m;
}

}  // namespace

double Measurement::sd_one_seed() const {
  return std::isnan(sd_seeds) ? noise_floor : std::max(sd_seeds, noise_floor);
}

double Measurement::sd_one_seed_df() const {
  // With several seeds the spread of one seed is known to n - 1 degrees of freedom, whichever term
  // is larger: the floor is a lower bound on it, not an estimate (steps and problems of one run are
  // correlated through its trajectory, so the floor alone is overconfident). Measured on quick: a
  // per-step floor with df 145 under format's entropy, 5 seeds, raised a false alarm on fresh seed 7.
  if (std::isnan(sd_seeds)) return std::max(1.0, noise_floor_df);
  return static_cast<double>(seeds.size() - 1);
}

Measurement measure_claim(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants) {
  return e.kind == ClaimKind::marker ? measure_marker(st, suite, e, mutants) : measure_eval(st, suite, e, mutants);
}

}  // namespace rlvr
