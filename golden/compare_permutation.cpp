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

// One group of rows measured on the same judged seeds F: the golden's seeds not in F (a judged
// seed that is also a golden seed counts once, as judged), then F; the permutation test over them.
void judge_group(Comparison& c, const Golden& g, const std::vector<int64_t>& fresh, const std::vector<size_t>& rows) {
  const auto& gs = g.provenance.seeds;
  std::vector<size_t> keep;
  for (size_t i = 0; i < gs.size(); ++i)
    if (std::find(fresh.begin(), fresh.end(), gs[i]) == fresh.end()) keep.push_back(i);
  if (keep.empty()) {  // the judged seeds are the golden's own: nothing else to pool with
    for (size_t i : rows) c.rows[i].m.note = "the judged seeds are all golden seeds: no other seed to compare with";
    return;
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
    if (r.p <= c.alpha) r.verdict = r.t < 0 ? Verdict::regression : Verdict::improved;
  }
  c.perm_units = std::max<int64_t>(c.perm_units, static_cast<int64_t>(keep.size() + fresh.size()));
  c.perm_subsets = std::max(c.perm_subsets, res.subsets);
  c.perm_exhaustive = c.perm_exhaustive && res.exhaustive;
  const double level = res.level(c.alpha);
  c.false_alarm_level = std::isnan(c.false_alarm_level) ? level : std::max(c.false_alarm_level, level);
}

}  // namespace

void comparison_judge_permutation(Comparison& c, const Golden& golden) {
  // Rows measured on the same seeds form one family (every claim of a suite, unless a cell was
  // run on other seeds); rows without seed values (kept from elsewhere) cannot be pooled.
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
    judge_group(c, golden, fresh, rows);
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
  if (v3) {
    std::vector<std::vector<double>> x, se;
    golden_seed_matrix(golden, x, se);
    c.crit_1 = golden.perm_crit_1;  // derived at load: each claim's band is crit_1 sd_seed
    c.crit_5 = stats::max_permutation_crit(x, se, 5, golden.alpha);
  }
  const double m = static_cast<double>(std::max<int64_t>(1, golden_statistical_claims(golden)));
  for (auto& r : c.rows) {
    const GoldenEntry& e = r.entry;
    if (e.kind == ClaimKind::probe || !(e.sd_seed > 0)) continue;
    if (v3) {
      r.mde_1 = c.crit_1 * e.sd_seed;
      r.mde_5 = c.crit_5 * e.sd_seed;
    } else {  // v2: the strictest Holm threshold on the t of k fresh seeds
      const double t = stats::t_crit(golden.alpha / m, e.df);
      r.mde_1 = t * e.sd_seed * std::sqrt(1.0 + 1.0 / n);
      r.mde_5 = t * e.sd_seed * std::sqrt(1.0 / 5 + 1.0 / n);
    }
    // Science claims (a gain, a contrast) should see their own size: a claim that fails only when
    // the effect more than vanishes guards nothing.
    if (e.kind == ClaimKind::gain || e.kind == ClaimKind::contrast) r.underpowered = !(r.mde_1 <= std::fabs(e.gain));
  }
}

}  // namespace rlvr
