// suite_science.cpp: `[science]` of a suite file (suite_science.h).
#include "suites/suite_science.h"

#include <algorithm>

#include "results/metric.h"
#include "util/error.h"

namespace rlvr {

namespace {

// One entry of `claims`: "LABEL" or { claim = "LABEL", expect = "gain" | "no_gain", margin = M }.
ScienceClaim science_claim_read(const toml::node& n, const std::string& file, const std::string& field) {
  ScienceClaim c;
  if (const auto* s = n.as_string()) {
    c.label = s->get();
  } else if (const auto* t = n.as_table()) {
    TomlReader r(*t, file, field + ".");
    c.label = r.string("claim");
    const std::string expect = r.string_opt("expect").value_or("gain");
    if (expect != "gain" && expect != "no_gain") r.fail("expect", "expected \"gain\" or \"no_gain\", got '" + expect + "'");
    c.no_gain = expect == "no_gain";
    c.margin = r.number_opt("margin", 0, 1e9).value_or(NAN);
    if (c.no_gain && !(c.margin > 0))
      r.fail("margin", "missing: a no_gain claim is tested for equivalence within +-margin, which it must state");
    r.finish();
  } else {
    throw_input(file, field + ": expected \"MODEL/REWARD METRIC\" or { claim = ..., expect = ..., margin = ... }");
  }
  if (c.label.empty()) throw_input(file, field + ": must not be empty");
  return c;
}

}  // namespace

void suite_science_read(TomlReader& root, SuiteInfo& info) {
  const toml::table* t = root.table_opt("science");
  if (!t) return;
  TomlReader r(*t, root.file(), "science.");
  const toml::array* a = r.array_opt("claims");
  if (!a || a->empty()) r.fail("claims", "missing or empty: the claims the suite pre-registers as its science");
  for (size_t i = 0; i < a->size(); ++i) {
    ScienceClaim c = science_claim_read(*a->get(i), root.file(), "science.claims[" + std::to_string(i) + "]");
    if (info.science_find(c.label)) r.fail("claims[" + std::to_string(i) + "]", "duplicate '" + c.label + "'");
    info.science.push_back(std::move(c));
  }
  // alpha: strictly inside (0, 0.05]: the telemetry family needs a share of the golden's 5% too.
  info.science_alpha = r.number_opt("alpha", 1e-6, 0.05).value_or(0.025);
  if (!(info.science_alpha < 0.05)) r.fail("alpha", "must be below the golden's 0.05: the telemetry family needs a share");
  info.science_detect = r.number_opt("detect", 1e-6, 1).value_or(0.5);
  r.finish();
}

void suite_science_resolve(const Suite& s) {
  const SuiteInfo& info = s.info;
  constexpr auto kGain = metric_names_for<MetricClaim::gain>();
  for (size_t i = 0; i < info.science.size(); ++i) {
    const std::string& label = info.science[i].label;
    const std::string field = "science.claims[" + std::to_string(i) + "]";
    const auto sp = label.rfind(' ');
    const std::string what = sp == std::string::npos ? "" : label.substr(0, sp), metric = sp == std::string::npos ? "" : label.substr(sp + 1);
    if (std::none_of(kGain.begin(), kGain.end(), [&](const char* m) { return metric == m; }))
      throw_input(info.path, field + ": '" + label + "' does not end in a gain metric (a science claim is a gain or a contrast)");
    bool ok = suite_has_cell(s, what);
    for (const auto& [a, b] : info.contrasts) ok = ok || what == a + " - " + b.substr(b.find('/') + 1);
    if (!ok) throw_input(info.path, field + ": '" + what + "' is neither a cell nor a declared contrast of the suite");
  }
}

}  // namespace rlvr
