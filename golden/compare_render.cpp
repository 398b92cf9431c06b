// compare_render.cpp: the verdict table (aligned text) and its JSON form.
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "golden/compare.h"

namespace rlvr {

namespace {

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pad(const std::string& s, size_t w, bool right = false) {
  if (s.size() >= w) return s;
  return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

nlohmann::json num(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace

std::string comparison_table(const Comparison& c) {
  const std::vector<std::string> head = {"VERDICT", "CELL", "METRIC", "STEP", "SEEDS", "BASELINE gold/meas",
                                         "CLAIMED GAIN", "MEASURED GAIN [95% interval]", "McNEMAR p"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : c.rows) {
    const auto& e = r.entry;
    const auto& m = r.m;
    bool ok = m.state == Measurement::State::ok;
    rows.push_back({verdict_name(r.verdict), e.cell(), e.metric, std::to_string(e.step),
                    ok ? std::to_string(m.seeds.size()) : "-",
                    fmt("%.3f", e.baseline) + "/" + (ok ? fmt("%.3f", m.baseline) : "-"),
                    fmt("%+.3f", e.gain) + " +- " + fmt("%.3f", e.band),
                    ok ? fmt("%+.3f", m.gain) + " [" + fmt("%+.3f", m.lo) + ", " + fmt("%+.3f", m.hi) + "]" : "-",
                    ok ? fmt("%.2g", m.mcnemar_p) : "-"});
  }
  std::vector<size_t> w(head.size());
  for (size_t k = 0; k < head.size(); ++k) {
    w[k] = head[k].size();
    for (const auto& r : rows) w[k] = std::max(w[k], r[k].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t k = 0; k < r.size(); ++k) {
      bool right = k == 3 || k == 4;
      s += pad(r[k], w[k], right);
      s += k + 1 < r.size() ? "  " : "";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(head);
  for (const auto& r : rows) out += line(r);
  std::map<Verdict, int> count;
  for (const auto& r : c.rows) ++count[r.verdict];
  std::string notes;
  for (const auto& r : c.rows)
    if (r.verdict != Verdict::pass)
      notes += "  " + std::string(verdict_name(r.verdict)) + " " + r.entry.cell() + " " + r.entry.metric + ": " +
               (r.m.note.empty() ? "measured interval lies " +
                                       std::string(r.verdict == Verdict::regression ? "below" : "above") + " the band [" +
                                       fmt("%+.3f", r.entry.gain - r.entry.band) + ", " +
                                       fmt("%+.3f", r.entry.gain + r.entry.band) + "]"
                                 : r.m.note) +
               "\n";
  if (!notes.empty()) out += "\n" + notes;
  if (!c.unclaimed_cells.empty()) {
    out += "\ncells without a claim in the golden (not judged):";
    for (const auto& s : c.unclaimed_cells) out += " " + s;
    out += "\n";
  }
  out += "\n" + c.suite + ": " + std::to_string(c.rows.size()) + " claims:";
  bool first = true;
  for (Verdict v : {Verdict::pass, Verdict::regression, Verdict::improved, Verdict::missing, Verdict::failed_run}) {
    if (!count[v]) continue;
    out += std::string(first ? " " : ", ") + std::to_string(count[v]) + " " + verdict_name(v);
    first = false;
  }
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
                          {"golden", {{"baseline", e.baseline}, {"gain", e.gain}, {"band", e.band}}},
                          {"note", m.note},
                          {"seeds", m.seeds},
                          {"runs", m.runs}};
    if (m.state == Measurement::State::ok)
      row["measured"] = {{"baseline", m.baseline},     {"final", m.final_value},      {"gain", m.gain},
                         {"seed_gains", m.seed_gains}, {"problems", m.problems},      {"se_problems", m.se_problems},
                         {"sd_seeds", num(m.sd_seeds)}, {"se_floor", m.se_floor},     {"se", m.se},
                         {"crit", m.crit},             {"lo", m.lo},                  {"hi", m.hi},
                         {"pairs_up", m.pairs_up},     {"pairs_down", m.pairs_down},  {"mcnemar_midp", m.mcnemar_p}};
    j["claims"].push_back(row);
  }
  j["unclaimed_cells"] = c.unclaimed_cells;
  return j.dump(2) + "\n";
}

}  // namespace rlvr
