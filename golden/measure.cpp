#include "golden/measure.h"

#include <algorithm>
#include <map>
#include <optional>

#include "golden/measure_collect.h"
#include "golden/stats.h"

namespace rlvr {

double flip_variance_floor(const std::vector<double>& x) {
  if (x.empty()) return 0;
  std::map<double, int64_t> count;
  for (double v : x) ++count[v];
  int64_t mode = 0;
  for (const auto& [v, c] : count) mode = std::max(mode, c);
  const double n = static_cast<double>(x.size()), k = n - static_cast<double>(mode);
  const double a = k + 0.5, b = n - k + 0.5;  // Beta posterior under the Jeffreys prior Beta(1/2, 1/2)
  return a * b / ((a + b) * (a + b + 1));     // E[p (1 - p)]
}

namespace {

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
    // the variance of one seed's mean if its problems flipped independently of each other. A
    // problem that never flipped in n seeds has sample variance 0, which says only that its flip
    // rate is small, not that it is 0: each problem's variance is at least the Jeffreys posterior
    // mean of p(1 - p) for k of n seeds off its most common value (flip_variance_floor). Without
    // it a metric saturated in the golden seeds (ground truth's code frequency at 1.000 in 23 of
    // 25) gets an sd of 0.001 and a fresh seed at 0.990 is a "regression" (measured, 2026-12-02).
    // Seeds that agree on every problem get no floor: the cell does not depend on the seed (a
    // deterministic cell), and its claim stays exact.
    double v = 0, v_floored = 0;
    for (int64_t p = 0; p < m.problems; ++p) {
      std::vector<double> x;
      for (const auto& d : diffs) x.push_back(d[static_cast<size_t>(p)]);
      double s = stats::sd(x);
      v += s * s;
      v_floored += std::max(s * s, flip_variance_floor(x));
    }
    if (v > 0) v = v_floored;
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
  auto data = collect_eval(st, suite, e, mutants, m);
  if (!data) return m;
  for (size_t k = 0; k < data->base.size(); ++k) m.seed_gains.push_back(data->fin[k] - data->base[k]);
  for (const auto& d : data->diffs) m.seed_se.push_back(stats::sd(d) / std::sqrt(static_cast<double>(std::max<size_t>(1, d.size()))));
  m.baseline = contrast ? NAN : stats::mean(data->base);
  m.final_value = contrast ? NAN : stats::mean(data->fin);
  m.gain = m.value_judged = stats::mean(m.seed_gains);
  problem_stats(m, data->diffs, stats::claim_seed(suite.info.name + "/" + e.label() + "/" + std::to_string(e.step) + "/" + e.dataset));

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
  auto data = collect_marker(st, suite, e, mutants, m);
  if (!data) return m;
  const bool log = e.log_scale();
  std::vector<double> judged;  // per seed, on the judged scale
  double floor_var = 0;
  for (const std::vector<double>& x : data->values) {
    m.steps = static_cast<int64_t>(x.size());
    const double mean = stats::mean(x), se = stats::sd(x) / std::sqrt(static_cast<double>(x.size()));
    m.seed_gains.push_back(mean);
    judged.push_back(e.judged(mean));
    // SE of the mean over steps, on the judged scale (delta method for log: se / mean).
    const double f = log ? (mean > kMarkerLogFloor ? se / mean : 0.0) : se;
    floor_var += f * f;
    m.seed_se.push_back(f);
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

// The mean over seeds of a probe metric (greedy: every seed of a model should agree; sd_seeds says
// whether they did).
Measurement measure_probe(Store& st, const Suite& suite, const GoldenEntry& e, const MutantByCell& mutants) {
  Measurement m;
  auto data = collect_probe(st, suite, e, mutants, m);
  if (!data) return m;
  m.seed_gains = *data;
  m.gain = m.value_judged = stats::mean(m.seed_gains);
  if (m.seed_gains.size() >= 2) m.sd_seeds = stats::sd(m.seed_gains);
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
  switch (e.kind) {
    case ClaimKind::marker: return measure_marker(st, suite, e, mutants);
    case ClaimKind::probe: return measure_probe(st, suite, e, mutants);
    case ClaimKind::gain:
    case ClaimKind::contrast: break;
  }
  return measure_eval(st, suite, e, mutants);
}

}  // namespace rlvr
