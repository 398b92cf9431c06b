#include "golden/compare.h"

#include <algorithm>
#include <optional>
#include <set>

#include "golden/stats.h"
#include "util/error.h"

namespace rlvr {

namespace {

// An exact claim (sd_seed = 0) passes when the measured value equals the claim to this relative
// tolerance: CPU runs are bit-identical, and 0 is 0.
constexpr double kExactTol = 1e-9;

// The paper statistic (v1 rule): the measured 95% interval [lo, hi] of the gain against the band
// [gain - band, gain + band]: REGRESSION when hi < band low, IMPROVED when lo > band high, else PASS.
Verdict judge_band(const GoldenEntry& e, const Measurement& m) {
  if (m.hi < e.gain - e.band) return Verdict::regression;
  if (m.lo > e.gain + e.band) return Verdict::improved;
  return Verdict::pass;
}

// A probe claim: the measured value on the claimed side of its bounds. Above max: the model now
// completes the problems it should not know (a leak); below min: the control stopped being flagged.
Verdict judge_probe(const GoldenEntry& e, const Measurement& m) {
  if (!std::isnan(e.bound_max) && m.gain > e.bound_max) return Verdict::regression;
  if (!std::isnan(e.bound_min) && m.gain < e.bound_min) return Verdict::regression;
  return Verdict::pass;
}


}  // namespace

std::vector<std::string> Judged::cells() const {
  std::vector<std::string> c = {entry.cell()};
  if (entry.kind == ClaimKind::contrast) c.push_back(entry.minus_cell());
  return c;
}

int Comparison::exit_status() const {
  for (const auto& r : rows)
    if (r.verdict != Verdict::pass) return kExitVerdict;
  return kExitOk;
}

void compare_check_inputs(const Suite& suite, const Golden& golden) {
  if (golden.suite != suite.info.name)
    throw_input(golden.path, "suite: '" + golden.suite + "' but " + suite.info.path + " is suite '" + suite.info.name + "'");
  for (size_t i = 0; i < golden.entries.size(); ++i) {
    const GoldenEntry& e = golden.entries[i];
    if (e.kind != ClaimKind::contrast) continue;  // a gain claim on a missing cell is MISSING (a skipped cell), as before
    std::string field = "cell[" + std::to_string(i) + "]";
    if (!suite_has_cell(suite, e.cell())) throw_input(golden.path, field + ".reward: contrast cell " + e.cell() + " is not in " + suite.info.path);
    if (!suite_has_cell(suite, e.minus_cell())) throw_input(golden.path, field + ".minus: contrast cell " + e.minus_cell() + " is not in " + suite.info.path);
  }
  // The suite's pre-registered science claims must be claims of the golden: a science claim the
  // golden does not judge would pass unseen.
  for (size_t i = 0; i < suite.info.science.size(); ++i) {
    const std::string& label = suite.info.science[i].label;
    if (std::none_of(golden.entries.begin(), golden.entries.end(), [&](const GoldenEntry& e) { return e.label() == label; }))
      throw_input(suite.info.path, "science.claims[" + std::to_string(i) + "]: '" + label + "' is not a claim of " + golden.path);
  }
}

Comparison compare_golden(Store& st, const Suite& suite, const Golden& golden_in, const MutantByCell& mutants) {
  // A golden with versions of the paper is judged one version at a time: the latest unless the
  // caller selected one (compare --paper-version).
  std::optional<Golden> selected;
  if (!golden_in.versions.empty() && golden_in.selected_version.empty()) {
    selected = golden_in;
    golden_select_version(*selected, "");
  }
  const Golden& golden = selected ? *selected : golden_in;
  compare_check_inputs(suite, golden);
  Comparison c;
  c.suite = suite.info.name;
  c.suite_path = suite.info.path;
  c.golden_path = golden.path;
  c.db_path = st.path();
  c.statistic = golden.provenance.statistic;
  c.alpha = golden.alpha;
  c.golden_seeds = static_cast<int64_t>(golden.provenance.seeds.size());
  c.paper_version = golden.selected_version;
  c.paper_versions = golden.versions;
  c.claims_all_versions = golden.entries_all_versions;
  const bool v2 = c.statistic == kGoldenStatistic, v3 = statistic_is_permutation(c.statistic);
  // The k-seed MDE speaks of the run the suite makes (its file's seeds), not of a --seeds override.
  if (suite.info.file_seeds.size() > 1) c.mde_seeds = static_cast<int64_t>(suite.info.file_seeds.size());
  if (!suite.info.science.empty()) c.science_alpha = suite.info.science_alpha, c.science_detect = suite.info.science_detect;
  std::set<std::string> claimed;
  std::vector<double> pvals;  // v2: one per row, NaN for exact or unmeasured claims
  for (const auto& e : golden.entries) {
    Judged j;
    j.entry = e;
    if (const ScienceClaim* sc = suite.info.science_find(e.label())) j.science = true, j.no_gain = sc->no_gain, j.margin = sc->margin;
    j.m = measure_claim(st, suite, e, mutants);
    claimed.insert(e.cell());
    if (e.kind == ClaimKind::contrast) claimed.insert(e.minus_cell());
    double p = NAN;
    if (j.m.state == Measurement::State::failed) j.verdict = Verdict::failed_run;
    else if (j.m.state == Measurement::State::missing) j.verdict = Verdict::missing;
    else if (e.kind == ClaimKind::probe) j.verdict = judge_probe(e, j.m);
    else if (!v2 && !v3) j.verdict = judge_band(e, j.m);
    else {
      j.diff = j.m.value_judged - e.judged(e.gain);
      if (!(e.sd_seed > 0)) {
        j.exact = true;
        bool same = std::fabs(j.m.gain - e.gain) <= kExactTol * std::max(1.0, std::fabs(e.gain));
        j.verdict = same ? Verdict::pass : (j.m.gain < e.gain ? Verdict::regression : Verdict::improved);
      } else if (v3) {
        j.verdict = Verdict::pass;  // until the permutation says otherwise (after the loop)
      } else {
        // The golden's seeds of this claim: measured.seeds when update wrote it (a cell may have its own seeds).
        auto ms = e.measured.find("seeds");
        const double n_new = static_cast<double>(j.m.seeds.size());
        const double n_gold = ms != e.measured.end() ? std::max(1.0, ms->second) : static_cast<double>(std::max<int64_t>(1, c.golden_seeds));
        j.se = e.sd_seed * std::sqrt(1.0 / n_new + 1.0 / n_gold);
        j.t = j.diff / j.se;
        j.p = p = stats::t_two_sided_p(j.t, e.df);
        j.verdict = Verdict::pass;  // until Holm says otherwise
      }
    }
    // Holm counts every statistical claim of the golden, measured or not: a missing claim is p = 1.
    if (v2 && e.sd_seed > 0 && std::isnan(p)) p = 1.0;
    pvals.push_back(p);
    c.rows.push_back(std::move(j));
  }
  if (v3) comparison_judge_permutation(c, golden);
  if (v2 || v3) comparison_mde_fill(c, golden);
  if (v2) {
    c.holm_m = golden_statistical_claims(golden);
    std::vector<bool> rejected = stats::holm_reject(pvals, c.alpha);
    for (size_t i = 0; i < c.rows.size(); ++i)
      if (rejected[i] && c.rows[i].verdict == Verdict::pass)
        c.rows[i].verdict = c.rows[i].t < 0 ? Verdict::regression : Verdict::improved;
  }
  for (const auto& cell : suite.cells)
    if (!claimed.count(cell.cell) &&
        std::find(c.unclaimed_cells.begin(), c.unclaimed_cells.end(), cell.cell) == c.unclaimed_cells.end())
      c.unclaimed_cells.push_back(cell.cell);
  return c;
}

}  // namespace rlvr
