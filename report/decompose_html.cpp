#include "report/decompose_html.h"

#include <cstdio>

#include "report/svg_plot.h"

namespace rlvr::report {

namespace {

std::string num(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
std::string td(const std::string& s) { return "<td class=\"num\">" + s + "</td>"; }
std::string pts(const std::optional<double>& v) { return v ? num("%.1f", *v * 100) : "&ndash;"; }
// Mean with its 95% interval over seeds, in points ("&ndash;" without seeds).
std::string interval(const GainSummary& g) {
  if (!g.seeds) return "&ndash;";
  std::string s = num("%+.1f", g.mean * 100);
  if (g.lo && g.hi) s += " [" + num("%+.1f", *g.lo * 100) + ", " + num("%+.1f", *g.hi * 100) + "]";
  return s;
}

}  // namespace

std::string decompose_html(const std::vector<DecomposeRow>& rows) {
  if (rows.empty())
    return "<p class=\"notes\">No cell has finished seeds with an eval at step 0 and a later one: no decomposition.</p>\n";
  std::string s =
      "<p>Accuracy is <i>c</i> &middot; <i>a</i><sub>code</sub> + (1 &minus; <i>c</i>) &middot; <i>a</i><sub>language</sub> "
      "(<i>c</i>: code frequency). Its change from step 0 to the last eval splits exactly into the <i>shift</i> "
      "(<i>c</i><sub>1</sub> &minus; <i>c</i><sub>0</sub>) &middot; (<i>a</i><sub>code,0</sub> &minus; <i>a</i><sub>language,0</sub>), "
      "what moving responses between strategies gains at the step-0 accuracy gap, and the change <i>within</i> each strategy, "
      "<i>c</i><sub>1</sub> &Delta;<i>a</i><sub>code</sub> + (1 &minus; <i>c</i><sub>1</sub>) &Delta;<i>a</i><sub>language</sub>. "
      "Per finished seed, then mean [95% t interval] over seeds, in points. A strategy with no responses has no accuracy "
      "(&ndash;); a seed that would need one is left out of shift and within and named.</p>\n<table>\n"
      "<tr><th>cell</th><th>dataset</th><th>seeds</th><th>split seeds</th><th>steps</th><th>code freq. (%)</th>"
      "<th>acc. code (%)</th><th>acc. language (%)</th><th>gain (points)</th><th>shift &times; gap</th>"
      "<th>within</th><th>within code</th><th>within language</th><th>undefined split</th></tr>\n";
  for (const DecomposeRow& d : rows) {
    std::string undefined;
    for (int64_t seed : d.undefined_seeds) undefined += (undefined.empty() ? "seeds " : ",") + std::to_string(seed);
    if (!undefined.empty()) undefined += ": " + d.undefined_reason;
    s += "<tr><td>" + xml_escape(d.cell) + "</td><td>" + xml_escape(d.dataset) + "</td>" +
         td(std::to_string(d.gain.seeds)) + td(std::to_string(d.shift.seeds)) + td("0 &rarr; " + std::to_string(d.last_step)) +
         td(pts(d.code0) + " &rarr; " + pts(d.code1)) + td(pts(d.acc_code0) + " &rarr; " + pts(d.acc_code1)) +
         td(pts(d.acc_lang0) + " &rarr; " + pts(d.acc_lang1)) + td(interval(d.gain)) + td(interval(d.shift)) +
         td(interval(d.within)) + td(interval(d.within_code)) + td(interval(d.within_lang)) + "<td>" +
         xml_escape(undefined) + "</td></tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace rlvr::report
