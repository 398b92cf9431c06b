// claims_render.cpp: the claims table as text, markdown (the README's) and JSON; no judging here.
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "golden/claims.h"
#include "golden/text.h"

namespace rlvr {

namespace {

struct Cols {
  std::string group, claim, paper, analogue, measured, interval, seeds, verdict, reason, source;
};

Cols cols(const ClaimRow& r) {
  const ClaimSpec& s = r.spec;
  Cols c;
  c.group = s.group;
  c.claim = s.claim;
  c.paper = claim_paper_text(r);
  if (s.expect == ClaimExpect::not_testable) {
    c.analogue = c.measured = c.interval = c.seeds = "-";
  } else {
    c.analogue = claim_analogue_text(s);
    c.measured = claim_value_text(r, r.value);
    c.interval = claim_interval_text(r);
    c.seeds = r.replicates > r.seeds ? std::to_string(r.seeds) + " (" + std::to_string(r.replicates) + " identical)" : std::to_string(r.seeds);
    c.source = r.source;
  }
  c.verdict = claim_verdict_name(r.verdict);
  c.reason = r.reason;
  if (r.inflation > 1) c.reason += "; one seed: interval widened x" + fmt("%.2f", r.inflation) + " for the seed spread one seed cannot show";
  if (!r.shared_with.empty()) c.reason += "; the runs of '" + r.shared_with + "' again (counted once)";
  if (!s.note.empty()) c.reason += " (" + s.note + ")";
  return c;
}

std::string md_escape(std::string s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n') out += ' ';
    else out += ch;
  }
  return out;
}

}  // namespace

std::string claim_value_text(const ClaimRow& r, double v) {
  return r.spec.expect == ClaimExpect::above ? fmt("%.1f%%", v * 100) : fmt("%+.1f", v * 100);
}

std::string claim_interval_text(const ClaimRow& r) {
  return r.lo == r.hi ? "exact" : "[" + claim_value_text(r, r.lo) + ", " + claim_value_text(r, r.hi) + "]";
}

std::string claim_analogue_text(const ClaimSpec& s) { return s.cell + (s.minus.empty() ? "" : " - " + s.minus) + " " + s.metric; }

std::string claim_paper_text(const ClaimRow& r) {
  const ClaimSpec& s = r.spec;
  std::string t;
  if (!std::isnan(r.paper_gain)) {
    t = s.expect == ClaimExpect::above
            ? fmt("%.1f", r.paper_baseline * 100) + " -> " + fmt("%.1f%%", (r.paper_baseline + r.paper_gain) * 100)
            : fmt("%+.1f", r.paper_gain * 100);
    const std::string versions = golden_versions_text(r.paper_versions);
    t += " (" + s.paper_cell.substr(0, s.paper_cell.find('/')) + ", step " + std::to_string(s.paper_step) +
         (versions.empty() ? "" : "; " + versions) + ")";
  }
  if (!s.paper_text.empty()) t += (t.empty() ? "" : "; ") + s.paper_text;
  return t;
}

std::string claims_markdown(const std::vector<ClaimRow>& rows) {
  std::string s =
      "| claim (paper) | paper's number (points) | zoo analogue | measured | 95% interval | seeds | verdict | why |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const ClaimRow& r : rows) {
    Cols c = cols(r);
    s += "| " + md_escape(c.claim) + " | " + md_escape(c.paper) + " | " + md_escape(c.analogue) + " | " + c.measured + " | " +
         c.interval + " | " + c.seeds + " | **" + c.verdict + "** | " + md_escape(c.reason) + " |\n";
  }
  std::vector<std::string> sources;
  for (const ClaimRow& r : rows)
    if (!r.source.empty() && std::find(sources.begin(), sources.end(), r.source) == sources.end()) sources.push_back(r.source);
  s += "\nSources: ";
  for (size_t i = 0; i < sources.size(); ++i) s += (i ? "; " : "") + md_escape(sources[i]);
  s += ".\n\nVerdicts: " + claims_count_text(rows) + ".\n";
  return s;
}

std::string claims_table(const std::vector<ClaimRow>& rows) {
  std::vector<Cols> cs;
  for (const ClaimRow& r : rows) cs.push_back(cols(r));
  size_t w[5] = {5, 8, 8, 8, 7};
  for (const Cols& c : cs) {
    w[0] = std::max(w[0], c.analogue.size());
    w[1] = std::max(w[1], c.measured.size());
    w[2] = std::max(w[2], c.interval.size());
    w[3] = std::max(w[3], c.paper.size());
    w[4] = std::max(w[4], c.verdict.size());
  }
  auto pad = [](const std::string& t, size_t n) { return t + std::string(n > t.size() ? n - t.size() : 0, ' '); };
  std::string s = pad("zoo analogue", w[0]) + "  " + pad("measured", w[1]) + "  " + pad("interval", w[2]) + "  " +
                  pad("paper", w[3]) + "  " + pad("verdict", w[4]) + "  why\n";
  std::string group;
  for (const Cols& c : cs) {
    if (c.group != group) s += "-- " + c.group + "\n", group = c.group;
    s += "   " + c.claim + "\n";
    s += pad(c.analogue, w[0]) + "  " + pad(c.measured, w[1]) + "  " + pad(c.interval, w[2]) + "  " + pad(c.paper, w[3]) +
         "  " + pad(c.verdict, w[4]) + "  " + c.reason + "\n";
  }
  return s + "\nverdicts: " + claims_count_text(rows) + "\n";
}

std::string claims_json(const std::vector<ClaimRow>& rows) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  nlohmann::json a = nlohmann::json::array();
  for (const ClaimRow& r : rows) {
    const ClaimSpec& s = r.spec;
    a.push_back({{"id", s.id},
                 {"group", s.group},
                 {"claim", s.claim},
                 {"expect", claim_expect_name(s.expect)},
                 {"paper", {{"cell", s.paper_cell}, {"metric", s.paper_metric}, {"step", s.paper_step}, {"versions", r.paper_versions},
                            {"baseline", num(r.paper_baseline)}, {"gain", num(r.paper_gain)}, {"text", s.paper_text}}},
                 {"analogue", {{"golden", s.golden}, {"cell", s.cell}, {"minus", s.minus}, {"metric", s.metric},
                               {"threshold", s.expect == ClaimExpect::above ? num(s.threshold) : nlohmann::json(nullptr)}}},
                 {"measured", {{"value", num(r.value)}, {"lo", num(r.lo)}, {"hi", num(r.hi)}, {"baseline", num(r.baseline)},
                               {"seeds", r.seeds}, {"replicates", r.replicates}, {"df", num(r.df)}, {"inflation", r.inflation},
                               {"source", r.source}}},
                 {"margin", num(s.margin)},
                 {"depends_on", s.depends_on},
                 {"same_evidence_as", s.same_evidence_as.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.same_evidence_as)},
                 {"verdict", claim_verdict_name(r.verdict)},
                 {"reason", r.reason},
                 {"note", s.note}});
  }
  return a.dump(2) + "\n";
}

}  // namespace rlvr
