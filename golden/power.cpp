#include "golden/power.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "golden/permutation.h"
#include "golden/stats.h"
#include "golden/text.h"
#include "util/error.h"

namespace rlvr {

namespace {

bool touches(const Judged& j, const std::vector<std::string>& cells) {
  for (const auto& c : j.cells())
    if (std::find(cells.begin(), cells.end(), c) != cells.end()) return true;
  return false;
}

double phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

int64_t MutantPower::caught() const {
  int64_t n = 0;
  for (const auto& s : seeds) n += s.caught;
  return n;
}

int64_t MutantPower::measured() const {
  int64_t n = 0;
  for (const auto& s : seeds) n += s.measured;
  return n;
}

int PowerReport::exit_status() const {
  for (const auto& c : control)
    if (!c.false_alarms.empty()) return kExitVerdict;
  for (const auto& m : mutants)
    if (m.expect_caught && m.caught() != static_cast<int64_t>(m.seeds.size())) return kExitVerdict;
  return kExitOk;
}

int64_t PowerReport::control_seeds_alarmed() const {
  int64_t n = 0;
  for (const auto& c : control) n += !c.false_alarms.empty();
  return n;
}

double PowerReport::control_alarm_upper95() const {
  return stats::binomial_upper_bound(control_seeds_alarmed(), static_cast<int64_t>(control.size()), 0.95);
}

ControlSeed power_control(const Comparison& c, int64_t seed) {
  ControlSeed s;
  s.seed = seed;
  s.claims = static_cast<int64_t>(c.rows.size());
  for (const auto& r : c.rows)
    if (r.verdict != Verdict::pass) s.false_alarms.push_back(std::string(verdict_name(r.verdict)) + " " + r.entry.label());
  return s;
}

void power_mde_fill(PowerReport& rep, const Comparison& c) {
  const bool declared = !std::isnan(c.science_alpha);
  rep.mde_seeds = c.mde_seeds;
  rep.science_declared = declared;
  for (const auto& r : c.rows) {
    const bool science = declared ? r.science : (r.entry.kind == ClaimKind::gain || r.entry.kind == ClaimKind::contrast);
    if (science && !std::isnan(r.mde_1)) rep.mde.push_back({r.entry.label(), r.entry.gain, r.mde_1, r.mde_k, r.underpowered});
  }
}

void power_mutant_add(MutantPower& mp, const Comparison& c, int64_t seed) {
  MutantSeed s;
  s.seed = seed;
  for (const auto& r : c.rows) {
    if (!touches(r, mp.cells)) continue;
    auto it = std::find_if(mp.claims.begin(), mp.claims.end(), [&](const PowerClaim& p) { return p.label == r.entry.label(); });
    if (it == mp.claims.end()) {
      mp.claims.push_back({});
      it = mp.claims.end() - 1;
      it->label = r.entry.label();
      it->exact = r.entry.sd_seed == 0;
    }
    // MISSING says nothing about the mutant (a run not made); only a verdict on data counts.
    if (r.verdict == Verdict::missing) continue;
    s.measured = true;
    ++it->seeds;
    it->t.push_back(r.t);
    if (r.verdict == Verdict::pass) continue;
    ++it->fired;
    s.fired.push_back(std::string(verdict_name(r.verdict)) + " " + r.entry.label());
    // A mutant whose runs fail (NaN loss) is caught too: the suite's cell fails.
    s.caught = true;
  }
  mp.seeds.push_back(std::move(s));
}

void power_predict(MutantPower& mp, const Golden& golden) {
  const double m = static_cast<double>(std::max<int64_t>(1, golden_statistical_claims(golden)));
  for (auto& pc : mp.claims) {
    if (pc.exact) continue;
    const GoldenEntry* e = nullptr;
    for (const auto& x : golden.entries)
      if (x.label() == pc.label) e = &x;
    if (!e) continue;
    // v3: the golden's one-seed critical max |d|; v2: Holm's strictest threshold on t.
    pc.crit = statistic_is_permutation(golden.provenance.statistic) ? golden.perm_crit_1 : stats::t_crit(golden.alpha / m, e->df);
    double sum = 0;
    int64_t n = 0;
    for (double t : pc.t)
      if (std::isfinite(t)) sum += t, ++n;
    if (n == 0) continue;
    const double tbar = std::fabs(sum / static_cast<double>(n));
    pc.predicted_power = phi(tbar - pc.crit) + phi(-tbar - pc.crit);
  }
  // Strongest first: the claims that catch the mutant.
  std::stable_sort(mp.claims.begin(), mp.claims.end(), [](const PowerClaim& a, const PowerClaim& b) { return a.fired > b.fired; });
}

// Each ladder's power curve: its rungs by size, the seeds that caught each.
// What one judged unit is: "seeds", or "runs of K seeds" with power --group K.
static std::string units_text(const PowerReport& r) {
  return r.group > 1 ? "runs of " + std::to_string(r.group) + " seeds" : "seeds";
}

static std::string ladders_text(const PowerReport& r) {
  std::vector<std::string> names;
  for (const auto& m : r.mutants)
    if (!m.ladder.empty() && std::find(names.begin(), names.end(), m.ladder) == names.end()) names.push_back(m.ladder);
  if (names.empty()) return "";
  std::string o = "\nladders (rung: " + units_text(r) + " caught / " + (r.group > 1 ? "runs" : "run") + "):\n";
  for (const auto& name : names) {
    std::vector<const MutantPower*> rungs;
    for (const auto& m : r.mutants)
      if (m.ladder == name) rungs.push_back(&m);
    std::stable_sort(rungs.begin(), rungs.end(), [](const MutantPower* a, const MutantPower* b) { return std::fabs(a->rung) < std::fabs(b->rung); });
    o += "  " + name + ":";
    for (const auto* m : rungs)
      o += "  " + fmt("%g", m->rung) + " " + std::to_string(m->caught()) + "/" + std::to_string(m->measured());
    o += "\n";
  }
  return o;
}

std::string power_table(const PowerReport& r) {
  auto join = [](const std::vector<int64_t>& v) {
    std::string out;
    for (auto s : v) out += (out.empty() ? "" : ",") + std::to_string(s);
    return out;
  };
  std::string o;
  const std::string seeds = join(r.seeds), gseeds = join(r.golden_seeds), cseeds = join(r.control_seeds);
  o += "power of " + r.suite + " (golden " + r.golden_path + ", seeds " + gseeds + "): mutants on seeds " + seeds +
       (cseeds.empty() ? std::string(", no control") : ", control on seeds " + cseeds) + "\n";
  if (statistic_is_permutation(r.statistic))
    o += "family-wise false-alarm rate per seed <= " + fmt("%.3g", r.alpha * 100) + "% (seed permutation over " +
         std::to_string(r.golden_seeds.size()) + " golden seeds, " + std::to_string(r.holm_m) + " statistical claims)\n\n";
  else
    o += "family-wise false-alarm rate per seed <= " + fmt("%.3g", r.alpha * 100) + "% (Holm over " + std::to_string(r.holm_m) +
         " statistical claims)\n\n";
  size_t w = 7;
  for (const auto& m : r.mutants) w = std::max(w, m.name.size());
  auto pad = [](std::string s, size_t n) { return s.size() >= n ? s : s + std::string(n - s.size(), ' '); };
  o += pad("MUTANT", w) + "  VERDICT  CAUGHT  EXPECT  STRONGEST CLAIMS (fired/" + (r.group > 1 ? "runs" : "seeds, predicted power") + ")\n";
  for (const auto& m : r.mutants) {
    const auto n = static_cast<int64_t>(m.seeds.size());
    std::string verdict = m.measured() < n ? "NOT RUN" : m.caught() == n ? "CAUGHT" : (m.caught() == 0 ? "MISSED" : "PARTIAL");
    std::string claims;
    int shown = 0;
    for (const auto& c : m.claims) {
      if (c.fired == 0 || shown == 3) continue;
      claims += (shown++ ? "; " : "") + c.label + " " + std::to_string(c.fired) + "/" + std::to_string(c.seeds) +
                (c.exact ? " exact" : " " + fmt("%.2f", c.predicted_power));
    }
    if (claims.empty()) {
      // Nothing fired: show the closest claim and its predicted power.
      const PowerClaim* best = nullptr;
      for (const auto& c : m.claims)
        if (!c.exact && (!best || c.predicted_power > best->predicted_power)) best = &c;
      if (best) claims = "none fired; closest " + best->label + " power " + fmt("%.2f", best->predicted_power);
    }
    o += pad(m.name, w) + "  " + pad(verdict, 7) + "  " + pad(std::to_string(m.caught()) + "/" + std::to_string(n), 6) + "  " +
         pad(m.traced ? "traced" : m.expect_caught ? "caught" : "missed", 6) + "  " + claims + "\n";
  }
  o += ladders_text(r);
  if (!r.mde.empty()) {
    o += std::string(r.science_declared ? "\nscience claims'" : "\ngain and contrast claims' (no [science] block: each held to its own size on one seed)") +
         " minimum detectable effect (a shift that fails about half the time), 1 seed / " + std::to_string(r.mde_seeds) + " seeds:\n";
    for (const auto& m : r.mde)
      o += "  " + m.label + " (claim " + fmt("%+.3f", m.claim) + "): " + fmt("%.3f", m.mde_1) + " / " + fmt("%.3f", m.mde_k) +
           (m.underpowered ? "  UNDERPOWERED" : "") + "\n";
  }
  if (r.group > 1) o += "\nseeds judged " + std::to_string(r.group) + " at a time (--group): each CAUGHT and each control row is a run of " +
                        std::to_string(r.group) + " seeds, named by its first\n";
  if (!r.control.empty()) {
    int64_t alarms = 0;
    for (const auto& c : r.control) alarms += static_cast<int64_t>(c.false_alarms.size());
    o += "\ncontrol (no mutant): " + std::to_string(r.control_seeds_alarmed()) + " of " + std::to_string(r.control.size()) +
         " " + units_text(r) + " with a false alarm (95% upper bound " + fmt("%.1f", r.control_alarm_upper95() * 100) + "%, exact), " +
         std::to_string(alarms) + " false alarms in all\n";
    for (const auto& c : r.control)
      for (const auto& a : c.false_alarms) o += "  seed " + std::to_string(c.seed) + ": " + a + "\n";
  }
  o += "\ndatabase: " + r.db_path + "   wall " + fmt("%.0f", r.wall_s) + " s\n";
  return o;
}

std::string power_json(const PowerReport& r) {
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"suite", r.suite}, {"golden", r.golden_path}, {"database", r.db_path}, {"alpha", r.alpha},
                      {"holm_m", r.holm_m}, {"seeds", r.seeds}, {"control_seeds", r.control_seeds}, {"golden_seeds", r.golden_seeds}, {"pass", r.exit_status() == 0},
                      {"wall_s", r.wall_s}, {"statistic", r.statistic}, {"control_seeds_alarmed", r.control_seeds_alarmed()},
                      {"control_alarm_upper95", r.control_alarm_upper95()}, {"group", r.group}, {"mde_seeds", r.mde_seeds}, {"science_declared", r.science_declared}};
  j["mde"] = nlohmann::json::array();
  for (const auto& m : r.mde)
    j["mde"].push_back({{"claim", m.label}, {"value", m.claim}, {"mde_1", num(m.mde_1)}, {"mde_k", num(m.mde_k)}, {"underpowered", m.underpowered}});
  j["control"] = nlohmann::json::array();
  for (const auto& c : r.control) j["control"].push_back({{"seed", c.seed}, {"claims", c.claims}, {"false_alarms", c.false_alarms}});
  j["mutants"] = nlohmann::json::array();
  for (const auto& m : r.mutants) {
    nlohmann::json mj = {{"name", m.name}, {"description", m.description}, {"expect_caught", m.expect_caught},
                         {"traced", m.traced}, {"ladder", m.ladder}, {"rung", m.rung},
                         {"caught", m.caught()}, {"seeds_run", m.seeds.size()}, {"cells", m.cells}, {"breaks", m.breaks}};
    mj["measured"] = m.measured();
    mj["per_seed"] = nlohmann::json::array();
    for (const auto& s : m.seeds)
      mj["per_seed"].push_back({{"seed", s.seed}, {"measured", s.measured}, {"caught", s.caught}, {"fired", s.fired}});
    mj["claims"] = nlohmann::json::array();
    for (const auto& c : m.claims) {
      nlohmann::json ts = nlohmann::json::array();
      for (double t : c.t) ts.push_back(num(t));
      mj["claims"].push_back({{"claim", c.label}, {"fired", c.fired}, {"seeds", c.seeds}, {"exact", c.exact}, {"t", ts},
                              {"crit", num(c.crit)}, {"predicted_power", num(c.predicted_power)}});
    }
    j["mutants"].push_back(mj);
  }
  return j.dump(2) + "\n";
}

}  // namespace rlvr
