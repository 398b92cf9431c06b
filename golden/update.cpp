#include "golden/update.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "golden/measure.h"
#include "golden/stats.h"

namespace rlvr {

namespace {

// The double nearest to v's 12-significant-digit decimal: 0.03244 stays 0.03244 in the file, not
// 0.032440000000000004 (the product of a rounding step and a power of ten).
double clean(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.12g", v);
  return std::strtod(b, nullptr);
}

// Rounding of written values: 4 significant digits below 1 (gains, clip fractions, approx_kl
// 1e-5), 4 places after the point above (response lengths).
double round_sig(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  double mag = std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 3);
  double r = std::round(v / mag) * mag;
  return clean(std::fabs(v) < 1 ? r : std::round(v * 1e4) / 1e4);
}
// Spreads round up (never claim more precision than measured).
double ceil_sig(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  double mag = std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 3);
  return clean(std::ceil(v / mag - 1e-9) * mag);
}

bool same_claim(const GoldenEntry& a, const GoldenEntry& b) { return a.label() == b.label() && a.step == b.step && a.dataset == b.dataset; }

// A kept claim must be judged by the statistic it was written for: only an old golden of the
// same statistic lends claims.
const GoldenEntry* find_old(const std::optional<Golden>& old, const GoldenEntry& e, const std::string& statistic) {
  if (!old || old->provenance.statistic != statistic) return nullptr;
  for (const auto& o : old->entries)
    if (same_claim(o, e)) return &o;
  return nullptr;
}

// What update records beside a claim (shown, never judged): its problems and their standard
// error, or its steps; a gain's final value and McNemar's mid-p.
void measured_extras_fill(GoldenEntry& e, const Measurement& m) {
  if (e.kind != ClaimKind::marker) {
    e.measured["problems"] = static_cast<double>(m.problems);
    e.measured["se_problems"] = ceil_sig(m.se_problems);
  } else {
    e.measured["steps"] = static_cast<double>(m.steps);
  }
  if (e.kind == ClaimKind::gain) {
    e.measured["final"] = round_sig(m.final_value);
    e.measured["mcnemar_midp"] = m.mcnemar_p;
  }
}

// Every seed's value and within-run standard error, in the measurement's seed order: the callers
// keep them only when the claim was measured on the golden's own seeds, in its order.
void seed_arrays_fill(GoldenEntry& e, const Measurement& m) {
  e.seed_values = m.seed_gains;
  e.seed_se = m.seed_se;
}

// v3: every golden seed's value, their sd on the judged scale (shown), and what was measured
// beside them; a claim no seed moves is exact and keeps every bit.
void seed_values_fill(GoldenEntry& e, const Measurement& m) {
  seed_arrays_fill(e, m);
  std::vector<double> judged;
  for (double v : e.seed_values) judged.push_back(e.judged(v));
  const bool same = std::all_of(judged.begin(), judged.end(), [&](double v) { return v == judged.front(); });
  e.sd_seed = same ? 0.0 : ceil_sig(stats::sd(judged));
  e.df = NAN;
  if (same) e.gain = m.gain;  // an exact claim keeps every bit
  e.measured = {{"seeds", static_cast<double>(m.seeds.size())}};
  measured_extras_fill(e, m);
}

}  // namespace

bool golden_permutation_possible(size_t seeds, double alpha) { return static_cast<double>(seeds + 1) * alpha >= 1 - 1e-9; }

std::vector<GoldenEntry> golden_claims_of(const Suite& suite) {
  std::vector<GoldenEntry> out;
  std::vector<std::string> done;
  for (const auto& c : suite.cells) {
    if (std::find(done.begin(), done.end(), c.cell) != done.end() || c.steps < 1) continue;
    done.push_back(c.cell);
    for (const char* metric : kGoldenMetrics) {
      GoldenEntry e;
      e.model = c.model;
      e.reward = c.reward;
      e.metric = metric;
      e.dataset = c.dataset;
      e.step = c.steps;
      out.push_back(e);
    }
    for (const auto& mk : kMarkerMetrics) {
      GoldenEntry e;
      e.kind = ClaimKind::marker;
      e.model = c.model;
      e.reward = c.reward;
      e.metric = mk.name;
      e.dataset = c.dataset;
      e.step_from = 1;
      e.step_to = c.steps;
      out.push_back(e);
    }
  }
  // The contamination probe of every cell that runs it (eval.probe > 0): its exact match.
  done.clear();
  for (const auto& c : suite.cells) {
    auto it = c.set.find("eval.probe");
    if (it == c.set.end() || std::strtod(it->second.c_str(), nullptr) <= 0) continue;
    if (std::find(done.begin(), done.end(), c.cell) != done.end()) continue;
    done.push_back(c.cell);
    GoldenEntry e;
    e.kind = ClaimKind::probe;
    e.model = c.model;
    e.reward = c.reward;
    e.metric = kProbeMetrics[0];
    e.dataset = c.dataset;
    out.push_back(e);
  }
  for (const auto& [a, b] : suite.info.contrasts) {
    const SuiteCell *ca = nullptr, *cb = nullptr;
    for (const auto& c : suite.cells) {
      if (c.cell == a) ca = &c;
      if (c.cell == b) cb = &c;
    }
    for (const char* metric : kGoldenMetrics) {
      GoldenEntry e;
      e.kind = ClaimKind::contrast;
      e.model = ca->model;
      e.reward = ca->reward;
      e.minus = b.substr(b.find('/') + 1);
      e.metric = metric;
      e.dataset = ca->dataset;
      e.step = std::min(ca->steps, cb->steps);  // the last step both cells evaluate
      out.push_back(e);
    }
  }
  return out;
}

GoldenUpdate golden_update(Store& st, const Suite& suite, const std::optional<Golden>& old,
                           const std::string& golden_path, const std::string& platform, const std::string& date) {
  st.runs_reap_stale();
  GoldenUpdate u;
  Golden& g = u.golden;
  g.path = golden_path;
  g.suite = suite.info.name;
  g.dataset = suite.cells.front().dataset;
  g.alpha = old && statistic_is_measured(old->provenance.statistic) ? old->alpha : kDefaultAlpha;
  GoldenProvenance& p = g.provenance;
  p.source = "measured";
  p.date = date;
  p.seeds = suite.info.seeds;
  const bool v3 = golden_permutation_possible(p.seeds.size(), g.alpha);
  p.statistic = v3 ? kPermutationStatistic : kGoldenStatistic;
  p.statistic_version = v3 ? kPermutationStatisticVersion : kGoldenStatisticVersion;
  std::vector<std::string> commits, devices;
  bool kept_old = false;
  for (GoldenEntry e : golden_claims_of(suite)) {
    Measurement m = measure_claim(st, suite, e);
    if (m.state != Measurement::State::ok) {
      u.unmeasured.push_back(e.label() + ": " + m.note);
      if (const GoldenEntry* o = find_old(old, e, p.statistic)) {
        g.entries.push_back(*o);
        kept_old = true;
      }
      continue;
    }
    for (const auto& s : m.commits)
      if (std::find(commits.begin(), commits.end(), s) == commits.end()) commits.push_back(s);
    for (const auto& s : m.devices)
      if (std::find(devices.begin(), devices.end(), s) == devices.end()) devices.push_back(s);
    if (e.kind == ClaimKind::probe) {
      // The side of the bound the model was measured on is the claim: clean stays clean, a leaked
      // control stays flagged.
      e.gain = m.gain;
      (m.gain <= kProbeExactMatchBound ? e.bound_max : e.bound_min) = kProbeExactMatchBound;
      e.measured = {{"seeds", static_cast<double>(m.seeds.size())}, {"problems", static_cast<double>(m.problems)}};
      if (!std::isnan(m.sd_seeds)) e.measured["sd_seeds"] = ceil_sig(m.sd_seeds);
      g.entries.push_back(std::move(e));
      continue;
    }
    // The claim is what was measured: the value, and the spread of one seed's value
    // (max of the seed sd and the independent-noise floor), with its degrees of freedom.
    if (e.kind == ClaimKind::gain) e.baseline = round_sig(m.baseline);
    e.gain = round_sig(m.gain);
    if (e.kind == ClaimKind::gain) e.gain = std::clamp(e.gain, -e.baseline, 1 - e.baseline);
    if (v3 && m.seeds != p.seeds) {
      // v3 pools a claim's seeds with a fresh one's: a cell run on other seeds has no place in it.
      u.unmeasured.push_back(e.label() + ": measured on other seeds than the golden's (a cell with its own seeds)");
      continue;
    }
    if (v3) {
      seed_values_fill(e, m);
      g.entries.push_back(std::move(e));
      continue;
    }
    double sd = m.sd_one_seed();
    // One seed cannot show that an eval claim is exact (a second seed may flip one problem): it
    // gets at least one problem's worth of spread. Markers that were constant over every step
    // (clip_frac 0 without clipping) stay exact.
    if (m.seeds.size() == 1 && e.kind != ClaimKind::marker) sd = std::max(sd, 1.0 / static_cast<double>(m.problems));
    e.sd_seed = ceil_sig(sd);
    e.df = e.sd_seed > 0 ? std::floor(m.sd_one_seed_df()) : NAN;
    if (e.sd_seed == 0) e.gain = m.gain;  // an exact claim keeps every bit
    e.measured = {{"seeds", static_cast<double>(m.seeds.size())}, {"noise_floor", ceil_sig(m.noise_floor)}};
    if (!std::isnan(m.sd_seeds)) e.measured["sd_seeds"] = ceil_sig(m.sd_seeds);
    measured_extras_fill(e, m);
    // Shown, not judged by v2: every seed's value, so the claim can be recomputed from the file
    // (when the cell ran on the golden's seeds).
    if (m.seeds == p.seeds) seed_arrays_fill(e, m);
    g.entries.push_back(std::move(e));
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("unknown") : s;
  };
  p.commit = join(commits);
  p.platform = platform + "; devices: " + join(devices);
  if (kept_old) {
    // Claims kept from the old golden (--allow-partial) were measured elsewhere: its provenance
    // stays beside the new one, so no claim loses where it came from.
    const GoldenProvenance& o = old->provenance;
    p.note = "claims not re-measured on " + date + " are kept from the golden of " + o.date + " (commit " + o.commit + "; " +
             o.platform + (o.note.empty() ? "" : "; " + o.note) + ")";
    p.commit = o.commit + (commits.empty() ? "" : ", " + p.commit);
  }
  return u;
}

}  // namespace rlvr
