// compare_permutation.cpp: statistic v3's verdicts (golden/permutation.h) and every measured
// golden's minimum detectable effects. Computing only; compare_render.cpp prints.
#include <algorithm>
#include <cmath>
#include <map>

#include "golden/compare.h"
#include "golden/permutation.h"
#include "golden/stats.h"

namespace rlvr {

namespace {

bool statistical(const Judged& r) { return r.entry.kind != ClaimKind::probe && r.entry.sd_seed > 0 && !r.exact; }

// The number of k-subsets of n units, C(n, k), as a double: only compared with 1 / alpha.
double subsets(size_t n, size_t k) {
  double m = 1;
  for (size_t i = 0; i < k && i < n; ++i) m = m * static_cast<double>(n - i) / static_cast<double>(i + 1);
  return m;
}

// Whether the science and telemetry families are judged apart on k of n pooled units: both shares
// of alpha can flag at least one of the C(n, k) relabelings. A rule of n and k alone, fixed before
// any value is seen, so the family-wise bound (the sum of the two levels) holds as before.
bool split_families(const Comparison& c, size_t n, size_t k) {
  if (std::isnan(c.science_alpha)) return false;
  const double m = subsets(n, k);
  return std::floor(c.science_alpha * m) >= 1 && std::floor((c.alpha - c.science_alpha) * m) >= 1;
}

// The golden's seeds not among the judged ones (a judged seed that is also a golden seed counts
// once, as judged): the units the judged seeds are pooled with.
std::vector<size_t> golden_kept(const Golden& g, const std::vector<int64_t>& fresh) {
  std::vector<size_t> keep;
  for (size_t i = 0; i < g.provenance.seeds.size(); ++i)
    if (std::find(fresh.begin(), fresh.end(), g.provenance.seeds[i]) == fresh.end()) keep.push_back(i);
  return keep;
}

// One family of rows measured on the same judged seeds F, judged at `alpha` by the permutation
// test over the kept golden seeds and F. Returns the family-wise level it holds (NaN: nothing to
// pool with).
double judge_group(Comparison& c, const std::vector<size_t>& keep, const std::vector<int64_t>& fresh, const std::vector<size_t>& rows, double alpha) {
  if (keep.empty()) {  // the judged seeds are the golden's own: nothing else to pool with
    for (size_t i : rows) c.rows[i].m.note = "the judged seeds are all golden seeds: no other seed to compare with";
    return NAN;
  }
  std::vector<std::vector<double>> x, se;
  for (size_t i : rows) {
    const Judged& r = c.rows[i];
    x.emplace_back();
    se.emplace_back();
    for (size_t gi : keep) x.back().push_back(r.entry.judged(r.entry.seed_values[gi])), se.back().push_back(r.entry.seed_se[gi]);
    for (double v : r.m.seed_gains) x.back().push_back(r.entry.judged(v));
    for (double v : r.m.seed_se) se.back().push_back(v);
  }
  std::vector<size_t> judged;
  for (size_t k = 0; k < fresh.size(); ++k) judged.push_back(keep.size() + k);
  stats::MaxPermutation res = stats::max_permutation_test(x, se, judged);
  for (size_t j = 0; j < rows.size(); ++j) {
    Judged& r = c.rows[rows[j]];
    r.diff = r.m.value_judged - r.entry.judged(r.entry.gain);
    r.t = res.d[j];
    r.p = res.p[j];
    r.alpha = alpha;
    if (r.p <= alpha) r.verdict = r.t < 0 ? Verdict::regression : Verdict::improved;
  }
  c.perm_units = std::max<int64_t>(c.perm_units, static_cast<int64_t>(keep.size() + fresh.size()));
  c.perm_subsets = std::max(c.perm_subsets, res.subsets);
  c.perm_exhaustive = c.perm_exhaustive && res.exhaustive;
  return res.level(alpha);
}

// The golden's seed matrix (golden_seed_matrix's rows) of the statistical claims `pick` accepts
// (c.rows follow the golden's entries one to one).
template <class Pick>
void family_matrix(const Comparison& c, Pick pick, std::vector<std::vector<double>>& x, std::vector<std::vector<double>>& se) {
  for (const Judged& r : c.rows) {
    const GoldenEntry& e = r.entry;
    if (e.kind == ClaimKind::probe || !(e.sd_seed > 0) || e.seed_values.empty() || !pick(r)) continue;
    x.emplace_back();
    for (double v : e.seed_values) x.back().push_back(e.judged(v));
    se.push_back(e.seed_se);
  }
}

// The critical max |d| for k fresh seeds of the rows `pick` accepts, at level alpha.
template <class Pick>
double family_crit(const Comparison& c, Pick pick, size_t k, double alpha) {
  std::vector<std::vector<double>> x, se;
  family_matrix(c, pick, x, se);
  return x.empty() ? NAN : stats::max_permutation_crit(x, se, k, alpha);
}

// v3: each row's critical value for k fresh seeds: its family's when the families split at k.
struct Crits {
  double joint = NAN, science = NAN, telemetry = NAN;
  bool split = false;
  double of(const Judged& r) const { return !split ? joint : r.science ? science : telemetry; }
};
Crits crits_at(const Comparison& c, const Golden& g, size_t k) {
  Crits cr;
  cr.split = split_families(c, g.provenance.seeds.size(), k);
  if (!cr.split) {
    cr.joint = k == 1 ? g.perm_crit_1 : family_crit(c, [](const Judged&) { return true; }, k, c.alpha);
    return cr;
  }
  cr.science = family_crit(c, [](const Judged& r) { return r.science; }, k, c.science_alpha);
  cr.telemetry = family_crit(c, [](const Judged& r) { return !r.science; }, k, c.alpha - c.science_alpha);
  return cr;
}

// A no-gain science claim's equivalence on the judged seeds (TOST at 5% a side): the 90% interval
// of their mean, with the golden's spread of one seed, inside +-margin.
void equivalence_fill(Judged& r, const Golden& g) {
  if (!r.no_gain || r.m.state != Measurement::State::ok || !(r.entry.sd_seed > 0)) return;
  const double k = static_cast<double>(std::max<size_t>(1, r.m.seed_gains.size()));
  const double df = static_cast<double>(std::max<size_t>(2, g.provenance.seeds.size())) - 1.0;
  const double half = stats::t_crit(0.10, df) * r.entry.sd_seed / std::sqrt(k);
  r.equivalent = std::fabs(r.m.gain) + half < r.margin;
}

}  // namespace

void comparison_judge_permutation(Comparison& c, const Golden& golden) {
  // Rows measured on the same seeds form one group (every claim of a suite, unless a cell was
  // run on other seeds); rows without seed values (kept from elsewhere) cannot be pooled. A group
  // is one family, or two (science, telemetry) when the suite declares science claims and the
  // number of judged seeds lets both shares flag.
  std::map<std::vector<int64_t>, std::vector<size_t>> groups;
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const Judged& r = c.rows[i];
    if (r.m.state != Measurement::State::ok || !statistical(r)) continue;
    if (r.entry.seed_values.size() != golden.provenance.seeds.size() || r.m.seed_se.size() != r.m.seed_gains.size()) continue;
    groups[r.m.seeds].push_back(i);
  }
  c.holm_m = 0;
  for (const auto& [fresh, rows] : groups) {
    c.holm_m += static_cast<int64_t>(rows.size());
    const std::vector<size_t> keep = golden_kept(golden, fresh);
    double level = NAN;
    if (split_families(c, keep.size() + fresh.size(), fresh.size())) {
      std::vector<size_t> sci, tel;
      for (size_t i : rows) (c.rows[i].science ? sci : tel).push_back(i);
      const double ls = sci.empty() ? 0.0 : judge_group(c, keep, fresh, sci, c.science_alpha);
      const double lt = tel.empty() ? 0.0 : judge_group(c, keep, fresh, tel, c.alpha - c.science_alpha);
      c.families_split = true;
      c.science_level = std::fmax(c.science_level, ls);
      c.telemetry_level = std::fmax(c.telemetry_level, lt);
      level = ls + lt;
    } else {
      level = judge_group(c, keep, fresh, rows, c.alpha);
    }
    c.false_alarm_level = std::fmax(c.false_alarm_level, level);  // fmax: NaN (nothing judged) is ignored
  }
}

bool comparison_flags_statistical(const Comparison& c) {
  for (const auto& r : c.rows)
    if ((r.verdict == Verdict::regression || r.verdict == Verdict::improved) && !r.exact && r.entry.kind != ClaimKind::probe) return true;
  return false;
}

void comparison_mde_fill(Comparison& c, const Golden& golden) {
  const bool v3 = statistic_is_permutation(golden.provenance.statistic);
  const double n = static_cast<double>(std::max<size_t>(1, golden.provenance.seeds.size()));
  const size_t k = static_cast<size_t>(c.mde_seeds);
  Crits c1, ck;
  if (v3) {
    c1 = crits_at(c, golden, 1);
    ck = crits_at(c, golden, k);
    c.crit_1 = c1.split ? c1.telemetry : c1.joint;  // derived at load: a claim's band is crit_1 sd_seed
    c.crit_k = ck.split ? ck.telemetry : ck.joint;
    c.crit_k_science = ck.split ? ck.science : ck.joint;
  }
  const double m = static_cast<double>(std::max<int64_t>(1, golden_statistical_claims(golden)));
  const bool declared = !std::isnan(c.science_alpha);
  for (auto& r : c.rows) {
    const GoldenEntry& e = r.entry;
    equivalence_fill(r, golden);
    if (e.kind == ClaimKind::probe || !(e.sd_seed > 0)) continue;
    if (v3) {
      r.mde_1 = c1.of(r) * e.sd_seed;
      r.mde_k = ck.of(r) * e.sd_seed;
    } else {  // v2: the strictest Holm threshold on the t of 1 and k fresh seeds
      const double t = stats::t_crit(golden.alpha / m, e.df);
      r.mde_1 = t * e.sd_seed * std::sqrt(1.0 + 1.0 / n);
      r.mde_k = t * e.sd_seed * std::sqrt(1.0 / static_cast<double>(k) + 1.0 / n);
    }
    // A science claim must see the loss it guards: detect x its size on the suite's seeds (a
    // no-gain claim: a gain of its margin). Without a [science] block every gain and contrast is
    // held to its own size on one seed, as before.
    if (declared && r.science) r.underpowered = !(r.mde_k <= (r.no_gain ? r.margin : c.science_detect * std::fabs(e.gain)));
    else if (!declared && (e.kind == ClaimKind::gain || e.kind == ClaimKind::contrast)) r.underpowered = !(r.mde_1 <= std::fabs(e.gain));
  }
}

}  // namespace rlvr
