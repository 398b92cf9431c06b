#include "report/report_golden.h"

#include <cmath>
#include <cstdio>

#include "golden/baseline.h"
#include "golden/compare.h"
#include "golden/golden.h"
#include "results/metric.h"
#include "suites/suite.h"

namespace rlvr::report {

GoldenView golden_view_load(Store& st, const std::string& golden_path, const std::string& suite_path,
                            const std::string& baseline_suite_path) {
  Suite suite = suite_load(suite_path);
  Golden golden = golden_load(golden_path);
  Comparison c = compare_golden(st, suite, golden);
  if (!baseline_suite_path.empty()) comparison_flag_baselines(c, baseline_spreads(st, suite_load(baseline_suite_path)));
  GoldenView v{golden_path, suite_path, c.suite, {}, c.exit_status()};
  for (const Judged& j : c.rows) {
    VerdictRow r;
    r.claim = {j.entry.cell(), j.entry.dataset, j.entry.metric, j.entry.step, j.entry.baseline, j.entry.gain, j.entry.band,
               claim_kind_name(j.entry.kind), j.entry.label()};
    if (j.entry.kind == ClaimKind::marker) r.claim.step = j.entry.step_to;
    r.claim.log_scale = j.entry.log_scale();
    r.exact = j.exact;
    if (!std::isnan(j.t)) r.t = j.t;
    if (!std::isnan(j.p)) r.p = j.p;
    r.verdict = verdict_name(j.verdict);
    if (j.m.state == Measurement::State::ok) {
      r.gain = j.m.gain;
      if (!std::isnan(j.m.lo)) r.lo = j.m.lo;
      if (!std::isnan(j.m.hi)) r.hi = j.m.hi;
    }
    r.seeds = static_cast<int64_t>(j.m.seeds.size());
    r.note = j.m.note;
    if (!j.baseline_note.empty()) r.note += (r.note.empty() ? "" : "; ") + std::string("FLAG: ") + j.baseline_note;
    // Wu et al.'s question beside every accuracy claim: does this model complete this set's problems?
    if (j.entry.metric == metric_cstr(Metric::accuracy)) {
      if (auto p = st.probe_latest(j.entry.model, j.entry.dataset)) {
        char b[160];
        std::snprintf(b, sizeof b, "probe: %.1f%% exact match, %.1f%% accuracy from partial prompts (%lld problems, run %lld)",
                      p->exact_match * 100, p->accuracy * 100, static_cast<long long>(p->problems), static_cast<long long>(p->run));
        r.note += (r.note.empty() ? "" : "; ") + std::string(b);
      }
    }
    v.rows.push_back(std::move(r));
  }
  return v;
}

}  // namespace rlvr::report
