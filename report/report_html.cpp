#include "report/report_html.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "report/decompose_html.h"
#include "report/svg_plot.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::report {

namespace {

constexpr const char* kStyle = R"css(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; max-width: 1500px; }
h1 { margin-bottom: 4px; } h2 { margin-top: 36px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
.meta { color: #555; } .notes { background: #fff4e5; border-left: 4px solid #e69f00; padding: 8px 14px; }
figure { margin: 12px 0; } figcaption { color: #666; font-size: 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.sub td { color: #444; } tr.total td { font-weight: bold; }
.PASS { background: #e3f4e3; } .REGRESSION, .FAILED, .MISSING { background: #fbe3e3; } .IMPROVED { background: #fff0cc; }
pre { font-size: 11px; max-width: 700px; overflow-x: auto; } code { font-size: 12px; }
)css";

std::string esc(const std::string& s) { return xml_escape(s); }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
std::string pts(double frac) { return fmt("%.1f", frac * 100); }
std::string signed_pts(double frac) { return fmt("%+.1f", frac * 100); }

std::string td(const std::string& s, bool num = false) { return std::string(num ? "<td class=\"num\">" : "<td>") + s + "</td>"; }
std::string th_row(std::initializer_list<const char*> cols) {
  std::string s = "<tr>";
  for (const char* c : cols) s += std::string("<th>") + c + "</th>";
  return s + "</tr>\n";
}

std::string figure_html(const Figure& f) {
  return "<figure id=\"" + esc(f.id) + "\">\n" + f.svg + "<figcaption>" + esc(f.title) + " &middot; also <a href=\"" +
         esc(f.id) + ".svg\">" + esc(f.id) + ".svg</a></figcaption>\n</figure>\n";
}

std::string gains_table(const ReportData& d) {
  std::string s = "<table>\n" + th_row({"cell", "dataset", "finished seeds", "step", "accuracy step 0 (%)", "accuracy last (%)",
                                        "gain mean (points)", "gain sd", "gain 95% interval", "code freq. step 0 (%)",
                                        "code freq. last (%)", "code freq. gain", "code gain 95% interval"});
  for (const std::string& ds : d.datasets)
    for (const CellRuns& c : d.cells) {
      auto acc = d.gains(c, ds, metric_cstr(Metric::accuracy)), code = d.gains(c, ds, metric_cstr(Metric::code_frequency));
      if (acc.empty()) continue;
      double b = 0, l = 0, cb = 0, cl = 0;
      int64_t step = 0;
      for (const RunGain& x : acc) b += x.base, l += x.last, step = std::max(step, x.last_step);
      for (const RunGain& x : code) cb += x.base, cl += x.last;
      double n = static_cast<double>(acc.size()), nc = static_cast<double>(code.size());
      GainSummary ga = gain_summary(acc), gc = gain_summary(code);
      auto interval = [](const GainSummary& g) {
        return g.lo && g.hi ? "[" + signed_pts(*g.lo) + ", " + signed_pts(*g.hi) + "]" : std::string("&ndash;");
      };
      const std::string none = "&ndash;";
      s += "<tr>" + td(esc(c.cell)) + td(esc(ds)) + td(std::to_string(acc.size()), true) + td(std::to_string(step), true) +
           td(pts(b / n), true) + td(pts(l / n), true) + td(signed_pts(ga.mean), true) +
           td(acc.size() > 1 ? fmt("%.1f", ga.sd * 100) : none, true) + td(interval(ga), true) +
           td(code.empty() ? none : pts(cb / nc), true) + td(code.empty() ? none : pts(cl / nc), true) +
           td(code.empty() ? none : signed_pts(gc.mean), true) + td(interval(gc), true) + "</tr>\n";
    }
  return s + "</table>\n";
}

std::string verdict_section(const GoldenView* g) {
  if (!g)
    return "<p>No golden given. <code>rlvrbench report --golden golden/SUITE.toml --suite suites/SUITE.toml</code> adds the "
           "verdict table (the one <code>rlvrbench compare</code> prints) and draws each claim's band on the gain figure.</p>\n";
  std::string s = "<p>Golden <code>" + esc(g->golden_path) + "</code> for suite <code>" + esc(g->suite) + "</code> (" +
                  esc(g->suite_path) + "): <b>" + (g->exit_status == 0 ? "every claim passes" : "some claims fail") +
                  "</b> (compare would exit " + std::to_string(g->exit_status) + ").</p>\n<table>\n" +
                  th_row({"claim", "kind", "dataset", "step", "claimed", "tolerance", "measured", "t / 95% interval", "p",
                          "seeds", "verdict", "note"});
  for (const VerdictRow& r : g->rows) {
    std::string cls = r.verdict.substr(0, r.verdict.find(' '));
    const bool marker = r.claim.kind == "marker";
    // Gains and contrasts in points; markers in their own units (clip fraction, tokens, nats).
    auto value = [&](double v) { return marker ? fmt("%.4g", v) : signed_pts(v); };
    std::string tol = r.exact               ? "exact"
                      : r.claim.log_scale ? "&times;" + fmt("%.3g", std::exp(r.claim.band))
                      : marker            ? "&plusmn;" + fmt("%.3g", r.claim.band)
                                          : "&plusmn;" + pts(r.claim.band);
    std::string stat = r.t ? fmt("%+.2f", *r.t) : r.lo && r.hi ? "[" + signed_pts(*r.lo) + ", " + signed_pts(*r.hi) + "]" : "&ndash;";
    s += "<tr>" + td(esc(r.claim.label.empty() ? r.claim.cell + " " + r.claim.metric : r.claim.label)) + td(esc(r.claim.kind)) +
         td(esc(r.claim.dataset)) + td(std::to_string(r.claim.step), true) + td(value(r.claim.gain), true) + td(tol, true) +
         td(r.gain ? value(*r.gain) : "&ndash;", true) + td(stat, true) + td(r.p ? fmt("%.2g", *r.p) : "&ndash;", true) +
         td(std::to_string(r.seeds), true) + "<td class=\"" + esc(cls) + "\">" + esc(r.verdict) + "</td>" + td(esc(r.note)) +
         "</tr>\n";
  }
  return s + "</table>\n";
}

std::string claims_section(const std::vector<ClaimRow>* rows) {
  if (!rows)
    return "<p>No claims file given. <code>rlvrbench report --claims golden/claims.toml</code> adds one verdict per claim "
           "of the paper on its zoo analogue (the table <code>rlvrbench claims</code> prints).</p>\n";
  std::string s =
      "<p>Each claim of the paper, its own number, and the zoo analogue judged from a golden's measured mean with the 95% "
      "interval over its seeds: <i>reproduced</i> (significant and at least the claim's margin), <i>direction only</i> (the "
      "mean reaches the margin, the interval also reaches 0), <i>not reproduced on the stand-in</i> (the interval excludes an "
      "effect of the margin), <i>inconclusive</i>, <i>not testable here</i> (the stand-in could not have shown it). Rules: "
      "golden/README.md.</p>\n"
      "<table>\n" +
      th_row({"claim", "paper", "zoo analogue", "measured", "95% interval", "seeds", "verdict", "why", "source"});
  for (const ClaimRow& r : *rows) {
    const ClaimSpec& c = r.spec;
    const bool testable = c.expect != ClaimExpect::not_testable;
    const bool above = c.expect == ClaimExpect::above;
    auto v = [&](double x) { return claim_value_text(r, x); };
    std::string paper = std::isnan(r.paper_gain) ? ""
                        : above ? pts(r.paper_baseline) + " &rarr; " + pts(r.paper_baseline + r.paper_gain) + "%"
                                : signed_pts(r.paper_gain);
    if (!c.paper_text.empty()) paper += (paper.empty() ? "" : "; ") + esc(c.paper_text);
    std::string cls = r.verdict == ClaimVerdict::reproduced ? "PASS" : r.verdict == ClaimVerdict::not_reproduced ? "REGRESSION"
                      : r.verdict == ClaimVerdict::direction_only ? "IMPROVED" : "";
    s += "<tr>" + td(esc(c.claim)) + td(paper) +
         td(testable ? esc(claim_analogue_text(c)) : "&ndash;") +
         td(testable ? v(r.value) : "&ndash;", true) + td(testable ? "[" + v(r.lo) + ", " + v(r.hi) + "]" : "&ndash;", true) +
         td(testable ? std::to_string(r.seeds) : "&ndash;", true) + "<td class=\"" + cls + "\">" +
         esc(claim_verdict_name(r.verdict)) + "</td>" + td(esc(r.reason)) + td(esc(r.source)) + "</tr>\n";
  }
  return s + "</table>\n";
}

std::string switch_table(const ReportData& d) {
  if (d.switches.empty())
    return "<p class=\"notes\">No cell has finished seeds with eval items at step 0 and at a later step: no breakdown.</p>\n";
  std::string s =
      "<p>Each (problem, sample) of the eval set, paired between step 0 and the last step of each finished seed, "
      "falls in one group by whether its response used code (the paper's detector) before and after training. "
      "<i>Contribution</i> is the group's share of the accuracy change, in points of the whole set: the rows of a "
      "cell add up to its gain on these pairs.</p>\n<table>\n" +
      th_row({"cell", "dataset", "seeds", "steps", "group", "pairs", "share (%)", "accuracy step 0 (%)", "accuracy last (%)",
              "contribution (points)"});
  for (const SwitchRow& r : d.switches) {
    double n = static_cast<double>(r.pairs);
    std::string head = td(esc(r.cell)) + td(esc(r.dataset)) + td(std::to_string(r.runs), true) +
                       td("0 &rarr; " + std::to_string(r.last_step));
    int64_t c0 = 0, cl = 0;
    for (size_t g = 0; g < 4; ++g) {
      double k = static_cast<double>(r.n[g]);
      c0 += r.correct0[g];
      cl += r.correct_last[g];
      s += std::string("<tr class=\"sub\">") + head + td(kSwitchGroups[g]) + td(std::to_string(r.n[g]), true) +
           td(pts(k / n), true) + td(r.n[g] ? pts(static_cast<double>(r.correct0[g]) / k) : "&ndash;", true) +
           td(r.n[g] ? pts(static_cast<double>(r.correct_last[g]) / k) : "&ndash;", true) +
           td(signed_pts(static_cast<double>(r.correct_last[g] - r.correct0[g]) / n), true) + "</tr>\n";
    }
    s += "<tr class=\"total\">" + head + td("all") + td(std::to_string(r.pairs), true) + td("100.0", true) +
         td(pts(static_cast<double>(c0) / n), true) + td(pts(static_cast<double>(cl) / n), true) +
         td(signed_pts(static_cast<double>(cl - c0) / n), true) + "</tr>\n";
  }
  return s + "</table>\n";
}

std::string provenance_table(const ReportData& d) {
  std::string s = "<table>\n" + th_row({"run", "suite", "cell", "seed", "status", "git commit", "LibTorch", "device", "threads",
                                        "host", "started (UTC)", "ended (UTC)", "config"});
  for (const RunRow& r : d.all_runs) {
    std::string status = esc(std::string(enum_name(r.status)));
    if (r.fail_reason) status += "<br><small>" + esc(*r.fail_reason) + (r.fail_step ? " at step " + std::to_string(*r.fail_step) : "") + "</small>";
    std::string cls = r.status == RunStatus::finished ? "" : " class=\"FAILED\"";
    s += "<tr>" + td(std::to_string(r.id), true) + td(esc(r.info.suite)) + td(esc(r.info.cell)) +
         td(std::to_string(r.info.seed), true) + "<td" + cls + ">" + status + "</td>" +
         td("<code title=\"" + esc(r.info.git_commit) + "\">" + esc(r.info.git_commit.substr(0, 12)) + "</code>") +
         td(esc(r.info.libtorch_version)) + td(esc(r.info.device)) + td(std::to_string(r.info.threads), true) +
         td(esc(r.info.host)) + td(esc(r.started_at)) + td(esc(r.ended_at.value_or(""))) +
         td(r.info.config_toml.empty() ? "" : "<details><summary>TOML</summary><pre>" + esc(r.info.config_toml) + "</pre></details>") +
         "</tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace

std::string report_html(const ReportData& d, const std::vector<Figure>& figures, const GoldenView* golden,
                        const std::vector<ClaimRow>* claims, const LadderView* ladders) {
  std::string datasets;
  for (const std::string& ds : d.datasets) datasets += (datasets.empty() ? "" : ", ") + esc(ds);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rlvrbench report: " +
                  esc(d.db_path) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>rlvrbench report</h1>\n";
  h += "<p class=\"meta\">database <code>" + esc(d.db_path) + "</code> (schema " + std::to_string(d.schema_version) +
       (d.created_at.empty() ? "" : ", created " + esc(d.created_at)) + "): " + std::to_string(d.all_runs.size()) + " runs, " +
       std::to_string(d.cells.size()) + " cells, datasets: " + datasets + "</p>\n";
  if (!d.notes.empty()) {
    h += "<div class=\"notes\"><b>Notes</b><ul>\n";
    for (const std::string& n : d.notes) h += "<li>" + esc(n) + "</li>\n";
    h += "</ul></div>\n";
  }
  h += "<ul>\n";
  for (const Figure& f : figures) h += "<li><a href=\"#" + esc(f.id) + "\">" + esc(f.title) + "</a></li>\n";
  h += "<li><a href=\"#verdicts\">Verdicts</a></li><li><a href=\"#claims\">The paper's claims</a></li>"
       "<li><a href=\"#switch\">Strategy switch</a></li><li><a href=\"#decompose\">Accuracy decomposition</a></li>"
       "<li><a href=\"#provenance\">Run provenance</a></li>\n</ul>\n";

  auto section = [&](const char* prefix, const std::string& heading, const std::string& intro) {
    bool any = false;
    for (const Figure& f : figures)
      if (f.id.rfind(prefix, 0) == 0) {
        if (!any) h += "<h2>" + heading + "</h2>\n" + intro;
        any = true;
        h += figure_html(f);
      }
    return any;
  };
  section("fig-1-", "Accuracy", "<p>Eval accuracy at each evaluated step (the paper's Figure 1 layout).</p>\n");
  section("fig-2-", "Code reasoning frequency",
          "<p>Share of eval responses that reason in code (the paper's detector: the response mentions \"python\").</p>\n");
  section("fig-3-", "Gain per cell", "");
  h += gains_table(d);
  section("fig-5-", "Variants beside their base",
          "<p>Each cell named BASE-POINT (one knob changed from the cell BASE of the same model, as in the regime map) "
          "beside BASE: the gain's mean over finished seeds with its 95% t interval over seeds, one column of panels per "
          "base. Intervals from 3 seeds are wide (t = 4.30): a bar whose whisker crosses 0 is no effect yet.</p>\n");
  h += "<h2 id=\"verdicts\">Verdicts</h2>\n" + verdict_section(golden);
  if (ladders) {
    section("fig-6-", "Mutant ladders",
            "<p>Graded versions of one fault (suites/README.md, <code>ladder</code>): the share of " +
                std::string(ladders->group > 1 ? "runs of " + std::to_string(ladders->group) + " seeds" : "seeds") +
                " on which the golden caught each rung, from <code>" + esc(ladders->path) + "</code>. Where the curve "
                "leaves 0 is the smallest regression of that kind the suite sees.</p>\n");
    h += ladder_table_html(*ladders);
  }
  h += "<h2 id=\"claims\">The paper's claims</h2>\n" + claims_section(claims);
  h += "<h2 id=\"switch\">Strategy switch</h2>\n" + switch_table(d);
  h += "<h2 id=\"decompose\">Accuracy decomposition</h2>\n" + decompose_html(d.decomposition);
  if (!section("fig-4-", "Clip fraction",
               "<p>Tokens whose probability ratio the PPO clip bounded, per step (the clipping ablation: compare cells with "
               "and without clipping).</p>\n"))
    h += "<h2>Clip fraction</h2>\n<p class=\"notes\">No run logged clip_frac_low / clip_frac_high.</p>\n";
  h += "<h2 id=\"provenance\">Run provenance</h2>\n" + provenance_table(d);
  h += "</body>\n</html>\n";
  return h;
}

void report_write(const std::string& dir, const std::string& html, const std::vector<Figure>& figures) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) throw_input(dir, "cannot create the output folder" + (ec ? " (" + ec.message() + ")" : ""));
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.rfind("fig-", 0) == 0 && e.path().extension() == ".svg") fs::remove(e.path(), ec);
  }
  for (const Figure& f : figures) file_write_atomic((fs::path(dir) / (f.id + ".svg")).string(), f.svg);
  file_write_atomic((fs::path(dir) / "index.html").string(), html);
}

}  // namespace rlvr::report
