// golden_write.cpp: Golden -> TOML text (read back by golden_load).
#include <cmath>
#include <cstdio>

#include "golden/golden.h"
#include "util/toml_reader.h"

namespace rlvr {

namespace {

std::string quote(const std::string& s) { return toml_quote(s); }

// A TOML float: number_text may give "3", which TOML would read as an integer; golden_load
// accepts both, but a float keeps the file's types uniform.
std::string num(double v) {
  std::string s = number_text(v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// A per-seed list to 12 significant digits (what a verdict pools with; an exact claim's value
// keeps every bit in its `gain`).
std::string list12(const std::vector<double>& v) {
  std::string t = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    char b[40];
    std::snprintf(b, sizeof b, "%.12g", v[i]);
    std::string x = b;
    if (x.find_first_of(".eEn") == std::string::npos) x += ".0";
    t += (i ? ", " : "") + x;
  }
  return t + "]";
}

}  // namespace

std::string golden_render(const Golden& g) {
  const GoldenProvenance& p = g.provenance;
  std::string o;
  o += "# Golden results of suite '" + g.suite + "' (format and method: golden/README.md).\n";
  if (p.source == "measured")
    o += "# Written by `rlvrbench golden update`: every claim is what the runs below measured.\n";
  o += "suite = " + quote(g.suite) + "\n";
  if (!g.dataset.empty()) o += "dataset = " + quote(g.dataset) + "\n";
  if (statistic_is_measured(p.statistic)) o += "alpha = " + num(g.alpha) + "  # family-wise false-alarm rate on a fresh seed\n";
  auto list = [&](const std::vector<std::string>& vs) {
    std::string t = "[";
    for (size_t i = 0; i < vs.size(); ++i) t += (i ? ", " : "") + quote(vs[i]);
    return t + "]";
  };
  if (!g.versions.empty()) o += "versions = " + list(g.versions) + "\n";
  o += "\n[provenance]\nsource = " + quote(p.source) + "\ndate = " + quote(p.date) + "\nplatform = " + quote(p.platform) +
       "\ncommit = " + quote(p.commit) + "\nseeds = [";
  for (size_t i = 0; i < p.seeds.size(); ++i) o += (i ? ", " : "") + std::to_string(p.seeds[i]);
  o += "]\nstatistic = " + quote(p.statistic) + "\nstatistic_version = " + std::to_string(p.statistic_version) + "\n";
  if (!p.note.empty()) o += "note = " + quote(p.note) + "\n";
  const bool v2 = p.statistic == kGoldenStatistic, v3 = statistic_is_permutation(p.statistic);
  for (const auto& e : g.entries) {
    o += "\n[[cell]]\n";
    if (e.kind != ClaimKind::gain) o += "kind = " + quote(claim_kind_name(e.kind)) + "\n";
    o += "model = " + quote(e.model) + "\nreward = " + quote(e.reward) + "\n";
    if (e.kind == ClaimKind::contrast) o += "minus = " + quote(e.minus) + "\n";
    o += "metric = " + quote(e.metric) + "\n";
    if (e.kind != ClaimKind::marker && e.dataset != g.dataset) o += "dataset = " + quote(e.dataset) + "\n";
    switch (e.kind) {
      case ClaimKind::gain:
        o += "step = " + std::to_string(e.step) + "\nbaseline = " + num(e.baseline) + "\ngain = " + num(e.gain) + "\n";
        break;
      case ClaimKind::contrast: o += "step = " + std::to_string(e.step) + "\ngain = " + num(e.gain) + "\n"; break;
      case ClaimKind::marker:
        o += "step_from = " + std::to_string(e.step_from) + "\nstep_to = " + std::to_string(e.step_to) + "\nvalue = " + num(e.gain) + "\n";
        break;
      case ClaimKind::probe:
        o += "value = " + num(e.gain) + "\n";
        if (!std::isnan(e.bound_max)) o += "max = " + num(e.bound_max) + "\n";
        if (!std::isnan(e.bound_min)) o += "min = " + num(e.bound_min) + "\n";
        break;
    }
    if (e.kind == ClaimKind::probe) {
    } else if (v3) {
      o += "sd_seed = " + num(e.sd_seed) + "\nseed_values = " + list12(e.seed_values) + "\nseed_se = " + list12(e.seed_se) + "\n";
    } else if (v2) {
      o += "sd_seed = " + num(e.sd_seed) + "\n";
      if (e.sd_seed > 0) o += "df = " + num(e.df) + "\n";
      if (!e.seed_values.empty()) o += "seed_values = " + list12(e.seed_values) + "\nseed_se = " + list12(e.seed_se) + "\n";
    } else {
      o += "band = " + num(e.band) + "\n";
    }
    if (!e.measured.empty()) {
      o += "measured = {";
      bool first = true;
      for (const auto& [k, v] : e.measured) {
        o += std::string(first ? " " : ", ") + k + " = " + (std::isfinite(v) ? num(v) : "nan");
        first = false;
      }
      o += " }\n";
    }
    if (!e.versions.empty()) o += "versions = " + list(e.versions) + "\n";
    if (!e.note.empty()) o += "note = " + quote(e.note) + "\n";
  }
  return o;
}

}  // namespace rlvr
