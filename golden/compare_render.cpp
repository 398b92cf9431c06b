// compare_render.cpp: the verdict table (aligned text) and its JSON form.
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "golden/compare.h"
#include "golden/text.h"

namespace rlvr {

namespace {

std::string pad(const std::string& s, size_t w, bool right = false) {
  if (s.size() >= w) return s;
  return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

nlohmann::json num(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }
// Infinite (a golden too small to flag k seeds) is written as the string "inf": JSON has no infinity.
nlohmann::json fin(double v) { return std::isinf(v) ? nlohmann::json("inf") : num(v); }


// A probe claim's bound: "<= 5.0%" (clean), ">= 5.0%" (contaminated), or both.
std::string probe_bound_text(const GoldenEntry& e) {
  std::string s;
  if (!std::isnan(e.bound_min)) s += ">= " + fmt("%.1f%%", e.bound_min * 100);
  if (!std::isnan(e.bound_max)) s += (s.empty() ? "" : ", ") + std::string("<= ") + fmt("%.1f%%", e.bound_max * 100);
  return s;
}

std::string claimed_text(const Judged& r) {
  const auto& e = r.entry;
  if (e.kind == ClaimKind::probe) return probe_bound_text(e);
  if (e.kind == ClaimKind::marker) return fmt(e.gain != 0 && std::fabs(e.gain) < 1e-2 ? "%.3g" : "%.4f", e.gain);
  return fmt("%+.3f", e.gain);
}

std::string measured_text(const Judged& r) {
  const auto& e = r.entry;
  const auto& m = r.m;
  if (m.state != Measurement::State::ok) return "-";
  if (e.kind == ClaimKind::probe) return fmt("%.1f%%", m.gain * 100);
  if (e.kind == ClaimKind::marker) return fmt(m.gain != 0 && std::fabs(m.gain) < 1e-2 ? "%.3g" : "%.4f", m.gain);
  return fmt("%+.3f", m.gain);
}

// A tolerance on the judged scale as shown: "x1.93" for log markers, "+-0.110" otherwise.
std::string tol_text(const GoldenEntry& e, double v) {
  if (std::isinf(v)) return "inf";
  if (std::isnan(v)) return "-";
  return e.log_scale() ? "x" + fmt("%.3g", std::exp(v)) : "+-" + fmt("%.3f", v);
}

// The claims that cannot see the loss they guard: with a [science] block, the science claims whose
// k-seed MDE exceeds detect x their size (a no-gain claim: its margin); without one, the gains and
// contrasts whose one-seed MDE exceeds their own size.
std::string underpowered_text(const Comparison& c) {
  const bool declared = !std::isnan(c.science_alpha);
  const std::string k = std::to_string(c.mde_seeds);
  std::string o;
  for (const auto& r : c.rows)
    if (r.underpowered)
      o += "  " + r.entry.label() + " (claim " + fmt("%+.3f", r.entry.gain) + (r.no_gain ? ", no gain within +-" + fmt("%.3f", r.margin) : "") +
           "): MDE " + tol_text(r.entry, r.mde_1) + " on 1 seed, " + tol_text(r.entry, r.mde_k) + " on " + k + "\n";
  if (o.empty()) return o;
  return declared ? "\nscience claims that cannot see " + fmt("%.3g", c.science_detect) + " of their size on the suite's " + k +
                        " seeds (MDE > detect x |claim|, or > the margin of a no-gain claim):\n" + o
                  : "\nscience claims that cannot see their own size on one fresh seed (MDE > |claim|):\n" + o;
}

// The no-gain science claims and whether the judged seeds show equivalence within their margin.
std::string equivalence_text(const Comparison& c) {
  std::string o;
  for (const auto& r : c.rows)
    if (r.no_gain && r.m.state == Measurement::State::ok)
      o += "  " + r.entry.label() + ": measured " + fmt("%+.3f", r.m.gain) + " on " + std::to_string(r.m.seed_gains.size()) +
           " seeds; no gain within +-" + fmt("%.3f", r.margin) + (r.equivalent ? " shown" : " not shown") + " (TOST, 5% a side)\n";
  return o.empty() ? o : "\nno-gain science claims (equivalence):\n" + o;
}

}  // namespace

namespace {

// Which statistic the golden was judged by decides the table's last columns and its notes.
struct TableStyle {
  bool v3, v2;  // v3: seed permutation (MDE, d, p); v2: Welch t with Holm (TOL, t, p); else v1 (band, interval, McNemar)
};

std::vector<std::string> table_head(TableStyle st, int64_t k) {
  std::vector<std::string> head = {"VERDICT", "CLAIM", "STEP", "SEEDS", "CLAIMED", "MEASURED"};
  if (st.v3) head.insert(head.end(), {"MDE 1 seed", "MDE " + std::to_string(k) + " seeds", "d", "p"});
  else if (st.v2) head.insert(head.end(), {"TOL (1 seed)", "t", "p"});
  else head.insert(head.end(), {"BAND", "95% INTERVAL", "McNEMAR p"});
  return head;
}

std::vector<std::string> table_row(const Judged& r, TableStyle st) {
  const auto& e = r.entry;
  const auto& m = r.m;
  bool ok = m.state == Measurement::State::ok;
  std::string step = e.kind == ClaimKind::marker ? std::to_string(e.step_from) + ".." + std::to_string(e.step_to) : std::to_string(e.step);
  std::vector<std::string> row = {verdict_name(r.verdict), e.label(), step, ok ? std::to_string(m.seeds.size()) : "-",
                                  claimed_text(r), measured_text(r)};
  if (st.v3) {
    const bool stat = e.kind != ClaimKind::probe && !r.exact;
    row.push_back(e.kind == ClaimKind::probe ? "bound" : r.exact ? "exact" : tol_text(e, r.mde_1));
    row.push_back(stat ? tol_text(e, r.mde_k) : "-");
    row.push_back(ok && stat && !std::isnan(r.t) ? fmt("%+.2f", r.t) : "-");
    row.push_back(ok && stat && !std::isnan(r.p) ? fmt("%.2g", r.p) : "-");
  } else if (st.v2) {
    if (e.kind == ClaimKind::probe) row.push_back("bound");
    else row.push_back(r.exact ? "exact" : tol_text(e, e.band));
    row.push_back(ok && !r.exact ? fmt("%+.2f", r.t) : "-");
    row.push_back(ok && !r.exact ? fmt("%.2g", r.p) : "-");
  } else {
    row.push_back("+-" + fmt("%.3f", e.band));
    row.push_back(ok ? "[" + fmt("%+.3f", m.lo) + ", " + fmt("%+.3f", m.hi) + "]" : "-");
    row.push_back(ok ? fmt("%.2g", m.mcnemar_p) : "-");
  }
  return row;
}

// The head and rows as aligned text: the first two columns left-aligned, the rest right-aligned.
std::string aligned(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w(head.size());
  for (size_t k = 0; k < head.size(); ++k) {
    w[k] = head[k].size();
    for (const auto& r : rows) w[k] = std::max(w[k], r[k].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t k = 0; k < r.size(); ++k) {
      bool right = k >= 2;
      s += pad(r[k], w[k], right);
      s += k + 1 < r.size() ? "  " : "";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(head);
  for (const auto& r : rows) out += line(r);
  return out;
}

// Why a claim did not pass: its measurement's note, else what its statistic says.
std::string verdict_why(const Judged& r, const Comparison& c, TableStyle st) {
  std::string why = r.m.note;
  if (why.empty() && r.entry.kind == ClaimKind::probe)
    why = "the probe measured " + measured_text(r) + ", outside " + claimed_text(r) +
          (std::isnan(r.entry.bound_max) ? " (the control is no longer flagged as contaminated)"
                                         : " (the model now completes problems it should not know: contamination)");
  if (why.empty() && st.v3)
    why = r.exact ? "an exact claim, measured " + measured_text(r) + " against " + claimed_text(r)
                  : "d = " + fmt("%+.2f", r.t) + ", p = " + fmt("%.2g", r.p) + " (seed permutation: rejected at family-wise " +
                        fmt("%.3g", r.alpha) + (!(r.alpha < c.alpha) ? "" : r.science ? ", the science family" : ", the telemetry family") + ")";
  if (why.empty() && st.v2)
    why = r.exact ? "an exact claim, measured " + measured_text(r) + " against " + claimed_text(r)
                  : "t = " + fmt("%+.2f", r.t) + ", p = " + fmt("%.2g", r.p) + " (Holm: rejected at family-wise " + fmt("%.3g", c.alpha) + ")";
  if (why.empty())
    why = "measured interval lies " + std::string(r.verdict == Verdict::regression ? "below" : "above") + " the band [" +
          fmt("%+.3f", r.entry.gain - r.entry.band) + ", " + fmt("%+.3f", r.entry.gain + r.entry.band) + "]";
  return why;
}

// One line per claim that did not pass, after a blank line; "" when every claim passed.
std::string verdict_notes(const Comparison& c, TableStyle st) {
  std::string notes;
  for (const auto& r : c.rows) {
    if (r.verdict == Verdict::pass) continue;
    notes += "  " + std::string(verdict_name(r.verdict)) + " " + r.entry.label() + ": " + verdict_why(r, c, st) + "\n";
  }
  return notes.empty() ? notes : "\n" + notes;
}

// The step-0 spread of each baseline model and the gain claims flagged against it; "" without baselines.
std::string baselines_text(const Comparison& c) {
  if (c.baselines.empty()) return "";
  std::string flags;
  for (const auto& r : c.rows)
    if (!r.baseline_note.empty()) flags += "  FLAG " + r.entry.label() + ": " + r.baseline_note + "\n";
  std::string out = "\nstep-0 spread (ways of asking the same model; a gain below it is no evidence of learning):\n";
  for (const auto& b : c.baselines)
    out += "  " + b.model + " " + b.metric + ": " + fmt("%.1f", b.spread() * 100) + " points (" + b.lo_cell + " " +
           fmt("%.1f", b.lo * 100) + "% .. " + b.hi_cell + " " + fmt("%.1f", b.hi * 100) + "%, " + std::to_string(b.cells) +
           " cells of suite " + b.suite + ")\n";
  out += flags.empty() ? "  no gain claim is smaller than its model's spread\n" : flags;
  return out;
}

// "SUITE: N claims: 3 PASS, 1 REGRESSION", the false-alarm rate of the statistic, the paper version.
std::string summary_text(const Comparison& c, TableStyle st) {
  std::map<Verdict, int> count;
  for (const auto& r : c.rows) ++count[r.verdict];
  std::string out = "\n" + c.suite + ": " + std::to_string(c.rows.size()) + " claims:";
  bool first = true;
  for (Verdict v : {Verdict::pass, Verdict::regression, Verdict::improved, Verdict::missing, Verdict::failed_run}) {
    if (!count[v]) continue;
    out += std::string(first ? " " : ", ") + std::to_string(count[v]) + " " + verdict_name(v);
    first = false;
  }
  int64_t exact = 0;
  for (const auto& r : c.rows) exact += r.exact;
  if (st.v3) {
    const double level = std::isnan(c.false_alarm_level) ? c.alpha : c.false_alarm_level;
    int64_t sci = 0;
    for (const auto& r : c.rows) sci += r.science;
    const std::string families =
        c.families_split ? "two families: " + std::to_string(sci) + " science claims at " + fmt("%.3g", c.science_alpha * 100) + "% (holds " +
                               fmt("%.3g", c.science_level * 100) + "%), the telemetry at " + fmt("%.3g", (c.alpha - c.science_alpha) * 100) +
                               "% (holds " + fmt("%.3g", c.telemetry_level * 100) + "%)"
                         : std::to_string(c.holm_m) + " claims in one family" +
                               (sci ? " (too few seeds judged for the science claims' own family)" : "");
    out += "\nfalse-alarm rate on a fresh seed: <= " + fmt("%.3g", level * 100) + "% for the whole golden (seed permutation: " +
           std::to_string(c.perm_units) + " seeds pooled, " + std::to_string(c.perm_subsets) + (c.perm_exhaustive ? " relabelings, all" : " relabelings drawn") +
           "; " + families + "; " + std::to_string(exact) + " exact claims cannot false-alarm)";
  } else if (st.v2) {
    out += "\nfalse-alarm rate on a fresh seed: <= " + fmt("%.3g", c.alpha * 100) + "% for the whole golden (Holm over " +
           std::to_string(c.holm_m) + " statistical claims; " + std::to_string(exact) + " exact claims cannot false-alarm)";
  }
  if (!c.paper_version.empty()) {
    out += "\npaper version: " + c.paper_version + " (" + std::to_string(c.rows.size()) + " of the golden's " +
           std::to_string(c.claims_all_versions) + " claims state it; versions: " + golden_versions_text(c.paper_versions) + "; --paper-version V for another)";
  }
  return out;
}

}  // namespace

std::string comparison_table(const Comparison& c) {
  const TableStyle st{statistic_is_permutation(c.statistic), c.statistic == kGoldenStatistic};
  // With a [science] block the pre-registered science claims come first, in a table of their own.
  std::vector<std::vector<std::string>> science, telemetry;
  for (const auto& r : c.rows) (r.science ? science : telemetry).push_back(table_row(r, st));
  std::string out;
  if (!science.empty()) out += "science claims (pre-registered: " + c.suite_path + " [science]):\n" + aligned(table_head(st, c.mde_seeds), science) + "\ntelemetry:\n";
  out += aligned(table_head(st, c.mde_seeds), telemetry);
  out += verdict_notes(c, st);
  out += equivalence_text(c);
  out += underpowered_text(c);
  out += baselines_text(c);
  if (!c.unclaimed_cells.empty()) {
    out += "\ncells without a claim in the golden (not judged):";
    for (const auto& s : c.unclaimed_cells) out += " " + s;
    out += "\n";
  }
  out += summary_text(c, st);
  out += "\ngolden: " + c.golden_path + "\ndatabase: " + c.db_path + "\n";
  return out;
}

std::string comparison_json(const Comparison& c) {
  nlohmann::json j;
  j["suite"] = c.suite;
  j["suite_path"] = c.suite_path;
  j["golden"] = c.golden_path;
  j["database"] = c.db_path;
  j["pass"] = c.exit_status() == 0;
  j["statistic"] = c.statistic;
  j["alpha"] = c.alpha;
  j["holm_m"] = c.holm_m;
  if (statistic_is_permutation(c.statistic))
    j["permutation"] = {{"units", c.perm_units}, {"subsets", c.perm_subsets}, {"exhaustive", c.perm_exhaustive},
                        {"false_alarm_level", num(c.false_alarm_level)}, {"crit_1", fin(c.crit_1)}, {"crit_k", fin(c.crit_k)},
                        {"crit_k_science", fin(c.crit_k_science)}, {"families_split", c.families_split}, {"science_alpha", num(c.science_alpha)},
                        {"science_level", num(c.science_level)}, {"telemetry_level", num(c.telemetry_level)}};
  j["mde_seeds"] = c.mde_seeds;
  j["science_detect"] = num(c.science_detect);
  j["baselines"] = nlohmann::json::array();
  for (const auto& b : c.baselines)
    j["baselines"].push_back({{"suite", b.suite}, {"model", b.model}, {"dataset", b.dataset}, {"metric", b.metric}, {"lo", b.lo},
                              {"hi", b.hi}, {"lo_cell", b.lo_cell}, {"hi_cell", b.hi_cell}, {"cells", b.cells}, {"spread", b.spread()}});
  j["paper_version"] = c.paper_version.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.paper_version);
  j["claims"] = nlohmann::json::array();
  for (const auto& r : c.rows) {
    const auto& e = r.entry;
    const auto& m = r.m;
    nlohmann::json row = {{"verdict", verdict_name(r.verdict)},
                          {"model", e.model},
                          {"reward", e.reward},
                          {"metric", e.metric},
                          {"dataset", e.dataset},
                          {"step", e.step},
                          {"minus", e.minus},
                          {"step_from", e.step_from},
                          {"step_to", e.step_to},
                          {"kind", claim_kind_name(e.kind)},
                          {"claim", e.label()},
                          {"golden", {{"baseline", num(e.baseline)}, {"gain", e.gain}, {"band", e.band}, {"sd_seed", num(e.sd_seed)}, {"df", num(e.df)},
                                      {"max", num(e.bound_max)}, {"min", num(e.bound_min)}}},
                          {"judged", {{"diff", num(r.diff)}, {"se", num(r.se)}, {"t", num(r.t)}, {"p", num(r.p)}, {"exact", r.exact},
                                      {"mde_1", fin(r.mde_1)}, {"mde_k", fin(r.mde_k)}, {"underpowered", r.underpowered}}},
                          {"science", r.science},
                          {"no_gain", r.no_gain},
                          {"margin", num(r.margin)},
                          {"equivalent", r.no_gain ? nlohmann::json(r.equivalent) : nlohmann::json(nullptr)},
                          {"note", m.note},
                          {"baseline_flag", r.baseline_note.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.baseline_note)},
                          {"seeds", m.seeds},
                          {"runs", m.runs}};
    if (m.state == Measurement::State::ok)
      row["measured"] = {{"baseline", num(m.baseline)}, {"final", num(m.final_value)}, {"gain", m.gain}, {"noise_floor", m.noise_floor},
                         {"seed_gains", m.seed_gains}, {"problems", m.problems},      {"se_problems", m.se_problems},
                         {"sd_seeds", num(m.sd_seeds)}, {"se_floor", m.se_floor},     {"se", m.se},
                         {"crit", m.crit},             {"lo", m.lo},                  {"hi", m.hi},
                         {"pairs_up", m.pairs_up},     {"pairs_down", m.pairs_down},  {"mcnemar_midp", num(m.mcnemar_p)}};
    j["claims"].push_back(row);
  }
  j["unclaimed_cells"] = c.unclaimed_cells;
  return j.dump(2) + "\n";
}

}  // namespace rlvr
