// golden_write.cpp: Golden -> TOML text (read back by golden_load).
#include <cmath>
#include <cstdio>

#include "golden/golden.h"
#include "suites/toml_reader.h"

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

}  // namespace

std::string golden_render(const Golden& g) {
  const GoldenProvenance& p = g.provenance;
  std::string o;
  o += "# Golden results of suite '" + g.suite + "' (format and method: golden/README.md).\n";
  if (p.source == "measured")
    o += "# Written by `rlvrbench golden update`: every claim is what the runs below measured.\n";
  o += "suite = " + quote(g.suite) + "\n";
  if (!g.dataset.empty()) o += "dataset = " + quote(g.dataset) + "\n";
  o += "\n[provenance]\nsource = " + quote(p.source) + "\ndate = " + quote(p.date) + "\nplatform = " + quote(p.platform) +
       "\ncommit = " + quote(p.commit) + "\nseeds = [";
  for (size_t i = 0; i < p.seeds.size(); ++i) o += (i ? ", " : "") + std::to_string(p.seeds[i]);
  o += "]\nstatistic = " + quote(p.statistic) + "\nstatistic_version = " + std::to_string(p.statistic_version) + "\n";
  if (!p.note.empty()) o += "note = " + quote(p.note) + "\n";
  for (const auto& e : g.entries) {
    o += "\n[[cell]]\nmodel = " + quote(e.model) + "\nreward = " + quote(e.reward) + "\nmetric = " + quote(e.metric) + "\n";
    if (e.dataset != g.dataset) o += "dataset = " + quote(e.dataset) + "\n";
    o += "step = " + std::to_string(e.step) + "\nbaseline = " + num(e.baseline) + "\ngain = " + num(e.gain) +
         "\nband = " + num(e.band) + "\n";
    if (!e.measured.empty()) {
      o += "measured = {";
      bool first = true;
      for (const auto& [k, v] : e.measured) {
        o += std::string(first ? " " : ", ") + k + " = " + (std::isfinite(v) ? num(v) : "nan");
        first = false;
      }
      o += " }\n";
    }
    if (!e.note.empty()) o += "note = " + quote(e.note) + "\n";
  }
  return o;
}

}  // namespace rlvr
