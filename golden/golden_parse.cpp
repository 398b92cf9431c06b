// golden_parse.cpp: golden/*.toml -> Golden, strictly (unknown fields and duplicates are errors).
#include <algorithm>
#include <set>
#include <tuple>

#include "golden/golden.h"
#include "golden/permutation.h"
#include "golden/stats.h"
#include "util/toml_reader.h"
#include "util/error.h"

namespace rlvr {

namespace {

ClaimKind kind_parse(TomlReader& c) {
  std::string k = c.string_opt("kind").value_or("gain");
  if (auto v = enum_parse<ClaimKind>(k)) return *v;
  c.fail("kind", "unknown '" + k + "' (known: " + enum_list<ClaimKind>() + ")");
}

bool known_metric(const std::string& m) {
  for (const char* x : kGoldenMetrics)
    if (m == x) return true;
  return false;
}

bool known_probe_metric(const std::string& m) {
  for (const char* x : kProbeMetrics)
    if (m == x) return true;
  return false;
}

}  // namespace

const MarkerMetric* marker_metric_find(const std::string& name) {
  for (const auto& m : kMarkerMetrics)
    if (name == m.name) return &m;
  return nullptr;
}

bool GoldenEntry::log_scale() const {
  const MarkerMetric* m = kind == ClaimKind::marker ? marker_metric_find(metric) : nullptr;
  return m && m->log_scale;
}

double GoldenEntry::judged(double v) const { return log_scale() ? std::log(std::max(v, kMarkerLogFloor)) : v; }

std::string GoldenEntry::label() const {
  switch (kind) {
    case ClaimKind::gain: return cell() + " " + metric;
    case ClaimKind::contrast: return cell() + " - " + minus + " " + metric;
    case ClaimKind::marker:
      return cell() + " " + metric + "[" + std::to_string(step_from) + ".." + std::to_string(step_to) + "]";
    case ClaimKind::probe: return cell() + " " + metric;
  }
  return cell();
}

void golden_seed_matrix(const Golden& g, std::vector<std::vector<double>>& x, std::vector<std::vector<double>>& se) {
  for (const auto& e : g.entries) {
    if (e.kind == ClaimKind::probe || !(e.sd_seed > 0) || e.seed_values.empty()) continue;
    x.emplace_back();
    for (double v : e.seed_values) x.back().push_back(e.judged(v));
    se.push_back(e.seed_se);
  }
}

int64_t golden_statistical_claims(const Golden& g) {
  int64_t k = 0;
  for (const auto& e : g.entries) k += e.sd_seed > 0;
  return k;
}

namespace {

// [provenance]: which method measured the golden; only methods this build implements are read.
void provenance_read(TomlReader& r, const std::string& path, GoldenProvenance& pv) {
  const toml::table* pt = r.table_opt("provenance");
  if (!pt) r.fail("provenance", "missing");
  TomlReader p(*pt, path, "provenance.");
  pv.source = p.string("source");
  if (pv.source != "measured" && pv.source != "paper") p.fail("source", "expected \"measured\" or \"paper\", got '" + pv.source + "'");
  pv.date = p.string("date");
  pv.platform = p.string("platform");
  pv.commit = p.string("commit");
  auto seeds = p.integers_opt("seeds", 0, int64_t{1} << 53);
  if (!seeds) p.fail("seeds", "missing");
  if (seeds->empty() && pv.source == "measured") p.fail("seeds", "a measured golden names its seeds");
  pv.seeds = *seeds;
  pv.statistic = p.string("statistic");
  pv.statistic_version = p.integer("statistic_version", 1, 1'000'000);
  // Only the methods this build implements: a golden made by another method must be re-measured
  // (or read with the build that made it), never judged by rules it was not written for.
  bool v2 = pv.statistic == kGoldenStatistic && pv.statistic_version == kGoldenStatisticVersion;
  bool v3 = pv.statistic == kPermutationStatistic && pv.statistic_version == kPermutationStatisticVersion;
  bool paper = pv.statistic == kPaperStatistic && pv.statistic_version == kPaperStatisticVersion;
  if (!v2 && !v3 && !paper)
    p.fail("statistic_version", "statistic '" + pv.statistic + "' version " + std::to_string(pv.statistic_version) +
                                    " is not implemented by this build (it implements '" + kPermutationStatistic + "' version " +
                                    std::to_string(kPermutationStatisticVersion) + ", '" + kGoldenStatistic + "' version " +
                                    std::to_string(kGoldenStatisticVersion) + " and '" + kPaperStatistic + "' version " +
                                    std::to_string(kPaperStatisticVersion) + "); re-measure with `rlvrbench golden update`");
  if ((v2 || v3) && pv.source != "measured") p.fail("statistic", "'" + pv.statistic + "' is for measured goldens");
  pv.note = p.string_opt("note").value_or("");
  p.finish();
}

// A list of version names (top-level `versions`, or a claim's): non-empty strings, each in `allowed`
// when given, none twice.
std::vector<std::string> versions_read(TomlReader& r, const toml::array& vs, const std::vector<std::string>* allowed) {
  std::vector<std::string> out;
  for (size_t i = 0; i < vs.size(); ++i) {
    const auto* v = vs.get(i)->as_string();
    const std::string entry = "entry " + std::to_string(i) + ": ";
    if (allowed && (!v || std::find(allowed->begin(), allowed->end(), v->get()) == allowed->end()))
      r.fail("versions", entry + "not one of the golden's versions (" + golden_versions_text(*allowed) + ")");
    if (!v || v->get().empty()) r.fail("versions", entry + "expected a non-empty string");
    if (!allowed && std::find(out.begin(), out.end(), v->get()) != out.end()) r.fail("versions", "'" + v->get() + "' appears twice");
    out.push_back(v->get());
  }
  return out;
}

// What a claim is about: its kind, cell, metric, dataset and steps.
void entry_scope_read(TomlReader& c, const Golden& g, bool v2, GoldenEntry& e) {
  e.kind = kind_parse(c);
  // A paper golden judges bands on eval metrics: gains and contrasts (Table 3's forced prefix is a
  // step-0 contrast), never markers (the paper publishes no step metrics).
  if (!v2 && e.kind == ClaimKind::marker) c.fail("kind", "no marker claims in a '" + g.provenance.statistic + "' golden");
  e.model = c.string("model");
  e.reward = c.string("reward");
  e.metric = c.string("metric");
  e.dataset = c.string_opt("dataset").value_or(g.dataset);
  switch (e.kind) {
    case ClaimKind::gain:
    case ClaimKind::contrast:
      if (!known_metric(e.metric)) c.fail("metric", "unknown '" + e.metric + "' (known: " + metric_list(MetricClaim::gain) + ")");
      if (e.dataset.empty()) c.fail("dataset", "missing (here or at the top of the file)");
      // A contrast at step 0 compares two cells' step-0 evaluations (eval-only cells: a forced
      // prefix, a template); a gain at step 0 would be 0 by definition.
      e.step = c.integer("step", e.kind == ClaimKind::contrast ? 0 : 1, 1'000'000);
      break;
    case ClaimKind::marker: {
      if (!marker_metric_find(e.metric)) {
        std::string known;
        for (const auto& m : kMarkerMetrics) known += (known.empty() ? "" : ", ") + std::string(m.name);
        c.fail("metric", "unknown step metric '" + e.metric + "' (known: " + known + ")");
      }
      e.step_from = c.integer("step_from", 1, 1'000'000);
      e.step_to = c.integer("step_to", e.step_from, 1'000'000);
      break;
    }
    case ClaimKind::probe:
      if (!known_probe_metric(e.metric))
        c.fail("metric", "unknown probe metric '" + e.metric + "' (known: " + metric_list(MetricClaim::probe) + ")");
      if (e.dataset.empty()) c.fail("dataset", "missing (here or at the top of the file)");
      e.step = 0;
      break;
  }
  if (e.kind == ClaimKind::contrast) {
    e.minus = c.string("minus");
    if (auto slash = e.minus.find('/'); slash != std::string::npos) {  // "MODEL/REWARD" form: the same model only
      if (e.minus.substr(0, slash) != e.model)
        c.fail("minus", "'" + e.minus + "' is a cell of another model than '" + e.model + "': a contrast compares two cells of one model");
      e.minus = e.minus.substr(slash + 1);
    }
    if (e.minus == e.reward) c.fail("minus", "the same cell as reward '" + e.reward + "'");
  }
}

// What a claim says: its value, and the spread (v2) or band (paper) it is judged with.
void entry_value_read(TomlReader& c, bool v2, bool v3, GoldenEntry& e) {
  if (e.kind == ClaimKind::gain) {
    e.baseline = c.number("baseline", 0, 1);
    e.gain = c.number("gain", -1, 1);
    if (e.baseline + e.gain < -1e-9 || e.baseline + e.gain > 1 + 1e-9) c.fail("gain", "baseline + gain must lie in [0, 1]");
  } else if (e.kind == ClaimKind::contrast) {
    e.gain = c.number("gain", -2, 2);
  } else if (e.kind == ClaimKind::probe) {
    e.gain = c.number("value", 0, 1);  // what was measured: shown, the bounds are judged
    e.bound_max = c.number_opt("max", 0, 1).value_or(NAN);
    e.bound_min = c.number_opt("min", 0, 1).value_or(NAN);
    if (std::isnan(e.bound_max) && std::isnan(e.bound_min)) c.fail("max", "missing: a probe claim needs max (clean) or min (contaminated)");
    if (e.bound_min > e.bound_max) c.fail("min", "above max");
  } else {
    e.gain = c.number("value", e.log_scale() ? 0 : -1e300, 1e300);
  }
  if (e.kind == ClaimKind::probe) return;  // judged against its bounds, not a spread: no sd_seed, df or band
  if (v3) {
    e.sd_seed = c.number("sd_seed", 0, 1e300);
    e.df = c.number_opt("df", 1, 1e12).value_or(NAN);  // not used by v3
  } else if (v2) {
    e.sd_seed = c.number("sd_seed", 0, 1e300);
    e.df = e.sd_seed > 0 ? c.number("df", 1, 1e12) : c.number_opt("df", 1, 1e12).value_or(NAN);
  } else {
    e.band = c.number("band", 0, 1);
    if (e.band <= 0) c.fail("band", "must be > 0");
  }
}

// One [[cell]]: scope, value, note, versions and the measured extras.
// v3: one number per golden seed under `key`; finite, and at least `lo`.
std::vector<double> per_seed_read(TomlReader& c, const Golden& g, const std::string& key, double lo, const std::string& what) {
  const toml::array* a = c.array_opt(key);
  if (!a) c.fail(key, "missing: a '" + std::string(kPermutationStatistic) + "' golden keeps " + what);
  if (a->size() != g.provenance.seeds.size())
    c.fail(key, std::to_string(a->size()) + " values for " + std::to_string(g.provenance.seeds.size()) + " seeds (provenance.seeds)");
  std::vector<double> out;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node* n = a->get(i);
    if (!n->is_number()) c.fail(key, "entry " + std::to_string(i) + ": expected a number");
    double v = n->is_integer() ? static_cast<double>(n->as_integer()->get()) : n->as_floating_point()->get();
    if (!std::isfinite(v) || v < lo) c.fail(key, "entry " + std::to_string(i) + ": not a finite value of this metric");
    out.push_back(v);
  }
  return out;
}

// v3: every seed's value (a log marker's may be 0: its floor applies) and within-run SE.
void seed_values_read(TomlReader& c, const Golden& g, GoldenEntry& e) {
  e.seed_values = per_seed_read(c, g, "seed_values", e.log_scale() ? 0.0 : -1e300, "every seed's value");
  e.seed_se = per_seed_read(c, g, "seed_se", 0.0, "every seed's within-run standard error");
}

GoldenEntry entry_read(TomlReader& c, const Golden& g, bool v2) {
  GoldenEntry e;
  const bool v3 = statistic_is_permutation(g.provenance.statistic);
  entry_scope_read(c, g, v2 || v3, e);
  entry_value_read(c, v2, v3, e);
  // v3 judges with them; v2 only shows them (optional).
  if (e.kind != ClaimKind::probe && (v3 || (v2 && c.has("seed_values")))) seed_values_read(c, g, e);
  e.note = c.string_opt("note").value_or("");
  if (!g.versions.empty()) {
    const toml::array* vs = c.array_opt("versions");
    if (!vs || vs->empty()) c.fail("versions", "missing: this golden records versions, so every claim names the versions that state it");
    e.versions = versions_read(c, *vs, &g.versions);
  } else if (c.has("versions")) {
    c.fail("versions", "the golden declares no top-level versions");
  }
  if (const toml::table* m = c.table_opt("measured")) {
    for (const auto& [k, v] : *m) {
      if (!v.is_number()) c.fail("measured." + std::string(k.str()), "expected a number");
      e.measured[std::string(k.str())] = v.is_integer() ? static_cast<double>(v.as_integer()->get()) : v.as_floating_point()->get();
    }
  }
  c.finish();
  return e;
}

// The shown band of a v3 claim: its minimum detectable effect on one fresh seed (crit_1 sd_seed,
// golden/permutation.h), infinite when the golden has too few seeds to flag one seed at alpha.
void bands_derive_v3(Golden& g) {
  std::vector<std::vector<double>> x, se;
  golden_seed_matrix(g, x, se);
  g.perm_crit_1 = stats::max_permutation_crit(x, se, 1, g.alpha);
  for (auto& e : g.entries) e.band = e.sd_seed > 0 && e.kind != ClaimKind::probe ? g.perm_crit_1 * e.sd_seed : 0.0;
}

// The shown band of a v2 claim: what a one-seed rerun may move by before the strictest Holm
// threshold fires.
void bands_derive(Golden& g) {
  const double m = static_cast<double>(std::max<int64_t>(1, golden_statistical_claims(g)));
  const double n_gold = static_cast<double>(std::max<size_t>(1, g.provenance.seeds.size()));
  for (auto& e : g.entries)
    e.band = e.sd_seed > 0 ? stats::t_crit(g.alpha / m, e.df) * e.sd_seed * std::sqrt(1.0 + 1.0 / n_gold) : 0.0;
}

}  // namespace

Golden golden_load(const std::string& path) {
  toml::table root = toml_parse_file(path);
  TomlReader r(root, path);
  Golden g;
  g.path = path;
  g.suite = r.string("suite");
  g.dataset = r.string_opt("dataset").value_or("");
  g.alpha = r.number_opt("alpha", 1e-6, 0.5).value_or(kDefaultAlpha);
  provenance_read(r, path, g.provenance);
  const bool v2 = g.provenance.statistic == kGoldenStatistic;
  const bool v3 = statistic_is_permutation(g.provenance.statistic);
  if (r.has("versions")) {
    if (v2 || v3) r.fail("versions", "only a paper golden records versions of the paper");
    const toml::array* vs = r.array_opt("versions");
    if (!vs || vs->empty()) r.fail("versions", "expected a non-empty array of version names");
    g.versions = versions_read(r, *vs, nullptr);
  }
  const toml::array* cells = r.array_opt("cell");
  if (!cells || cells->empty()) r.fail("cell", "missing: a golden needs at least one [[cell]]");
  std::set<std::string> seen;
  for (size_t i = 0; i < cells->size(); ++i) {
    std::string field = "cell[" + std::to_string(i) + "]";
    const toml::node* n = cells->get(i);
    if (!n->is_table()) r.fail(field, "expected a table");
    TomlReader c(*n->as_table(), path, field + ".");
    GoldenEntry e = entry_read(c, g, v2);
    // Two versions may state different numbers for one claim; within a version a claim is unique.
    std::vector<std::string> scopes = e.versions.empty() ? std::vector<std::string>{""} : e.versions;
    for (const std::string& v : scopes) {
      std::string key = e.label() + " @" + e.dataset + " " + std::to_string(e.step) + " " + v;
      if (!seen.insert(key).second)
        c.fail("model", "duplicate claim " + e.label() + " at step " + std::to_string(e.step) + (v.empty() ? "" : " in version " + v));
    }
    g.entries.push_back(std::move(e));
  }
  r.finish();
  if (v2) bands_derive(g);
  if (v3) bands_derive_v3(g);
  return g;
}

std::string golden_versions_text(const std::vector<std::string>& versions) {
  std::string s;
  for (const auto& v : versions) s += (s.empty() ? "" : ", ") + v;
  return s;
}

std::string golden_select_version(Golden& g, const std::string& version) {
  if (g.versions.empty()) {
    if (!version.empty()) throw_input(g.path, "versions: this golden does not record versions of the paper (asked for '" + version + "')");
    return "";
  }
  std::string v = version.empty() ? g.versions.back() : version;
  if (std::find(g.versions.begin(), g.versions.end(), v) == g.versions.end()) {
    throw_input(g.path, "versions: no version '" + v + "' (known: " + golden_versions_text(g.versions) + ")");
  }
  g.entries_all_versions = g.entries.size();
  g.selected_version = v;
  std::vector<GoldenEntry> kept;
  for (auto& e : g.entries)
    if (std::find(e.versions.begin(), e.versions.end(), v) != e.versions.end()) kept.push_back(std::move(e));
  g.entries = std::move(kept);
  return v;
}

}  // namespace rlvr
