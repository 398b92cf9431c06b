#include "report/report_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>

#include "report/svg_plot.h"

namespace rlvr::report {

namespace {

// Okabe-Ito (colour-blind safe) first, then distinct extras; cycles beyond twelve labels.
constexpr const char* kPalette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                                    "#000000", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#9467bd"};
constexpr double kSeedWidth = 1.0, kSeedOpacity = 0.45, kMeanWidth = 2.4;

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", v);
  return buf;
}

bool several_suites(const ReportData& d) {
  std::set<std::string> s;
  for (const CellRuns& c : d.cells) s.insert(c.suite);
  return s.size() > 1;
}

std::string cell_name(const ReportData& d, const CellRuns& c) {
  return several_suites(d) ? c.suite + ": " + c.cell : c.cell;
}

// Mean over curves at each step any of them has, skipping gaps (NaN) per step.
std::vector<Point> mean_curve(const std::vector<const std::vector<CurvePoint>*>& curves, double scale) {
  std::map<int64_t, std::pair<double, int>> acc;
  for (const auto* c : curves)
    for (const CurvePoint& p : *c) {
      auto& a = acc[p.step];
      if (p.value) a.first += *p.value, ++a.second;
    }
  std::vector<Point> out;
  for (const auto& [step, a] : acc)
    out.push_back({static_cast<double>(step), a.second ? std::optional<double>(a.first / a.second * scale) : std::nullopt});
  return out;
}

std::vector<Point> points(const std::vector<CurvePoint>& c, double scale) {
  std::vector<Point> out;
  for (const CurvePoint& p : c)
    out.push_back({static_cast<double>(p.step), p.value ? std::optional<double>(*p.value * scale) : std::nullopt});
  return out;
}

// Thin seed lines plus the bold mean of the finished seeds, for one colour.
void add_seed_lines(LinePanel& panel, const std::string& name, const std::string& color,
                    const std::vector<std::pair<const RunRow*, const std::vector<CurvePoint>*>>& runs) {
  std::vector<const std::vector<CurvePoint>*> finished;
  for (const auto& [r, curve] : runs) {
    panel.series.push_back({color, kSeedWidth, kSeedOpacity, r->status != RunStatus::finished,
                            name + ", seed " + std::to_string(r->info.seed) + " (run " + std::to_string(r->id) + ", " +
                                std::string(enum_name(r->status)) + ")",
                            points(*curve, 100)});
    if (r->status == RunStatus::finished) finished.push_back(curve);
  }
  if (!finished.empty())
    panel.series.push_back({color, kMeanWidth, 1.0, false,
                            name + ": mean of " + std::to_string(finished.size()) + " finished seed(s)",
                            mean_curve(finished, 100)});
}

const std::vector<LegendEntry> kStyleLegend = {
    {"one seed", "#888", false, kSeedWidth}, {"not finished", "#888", true, kSeedWidth}, {"mean of finished seeds", "#888", false, kMeanWidth}};

Figure curve_figure(const ReportData& d, const std::map<std::string, std::string>& colors, const std::string& dataset,
                    const char* metric, const std::string& id, const std::string& what) {
  LineFigure f;
  f.title = what + " vs step (" + dataset + ")";
  f.caption = "eval " + std::string(metric) + " on " + dataset +
              " in %, one panel per model, one colour per cell; thin: seeds, bold: their mean";
  f.xlabel = "step";
  f.ylabel = what + " (%)";
  f.ymin = 0;
  f.ymax = 100;
  std::set<std::string> used;
  std::string key;
  for (const CellRuns& c : d.cells) {
    std::string pkey = c.suite + "\n" + c.model;
    if (f.panels.empty() || pkey != key) {
      f.panels.push_back({several_suites(d) ? c.suite + ": " + c.model : c.model, {}, ""});
      key = pkey;
    }
    std::vector<std::pair<const RunRow*, const std::vector<CurvePoint>*>> runs;
    for (const RunRow& r : c.seeds)
      if (const auto* curve = d.eval_curve(r.id, dataset, metric)) runs.emplace_back(&r, curve);
    if (runs.empty()) continue;
    add_seed_lines(f.panels.back(), cell_name(d, c), colors.at(c.label), runs);
    used.insert(c.label);
  }
  for (LinePanel& p : f.panels)
    if (p.series.empty()) p.note = "no " + std::string(metric) + " on " + dataset + " for this model";
  for (const auto& [label, color] : colors)
    if (used.count(label)) f.legend.push_back({label, color, false, kMeanWidth});
  f.legend.insert(f.legend.end(), kStyleLegend.begin(), kStyleLegend.end());
  return {id, f.title, line_figure_svg(f)};
}

const GoldenBand* band_for(const GoldenView* g, const CellRuns& c, const std::string& dataset, const char* metric) {
  if (!g || g->suite != c.suite) return nullptr;
  for (const VerdictRow& r : g->rows)
    if (r.claim.kind == "gain" && r.claim.cell == c.cell && r.claim.dataset == dataset && r.claim.metric == metric) return &r.claim;
  return nullptr;
}

Figure gain_figure(const ReportData& d, const std::map<std::string, std::string>& colors, const std::string& dataset,
                   const GoldenView* g) {
  BarFigure f;
  f.title = "Gain per cell (" + dataset + ")";
  f.caption = "bar: mean over finished seeds of (last eval - step 0) in points; dots: seeds";
  if (g) f.caption += "; grey band: golden claim +- band, black tick: claimed gain (" + g->golden_path + ")";
  const std::pair<const char*, const char*> metrics[] = {{metric_cstr(Metric::accuracy), "accuracy gain (points)"},
                                                         {metric_cstr(Metric::code_frequency), "code frequency gain (points)"}};
  for (const auto& [metric, xlabel] : metrics) {
    BarPanel p{metric == std::string(metric_cstr(Metric::accuracy)) ? "Accuracy" : "Code frequency", xlabel, {}};
    for (const CellRuns& c : d.cells) {
      bool evaluated = false;
      for (const RunRow& r : c.seeds) evaluated = evaluated || d.eval_curve(r.id, dataset, metric);
      if (!evaluated) continue;
      BarRow row;
      row.label = cell_name(d, c);
      row.color = colors.at(c.label);
      std::vector<RunGain> gains = d.gains(c, dataset, metric);
      double sum = 0;
      for (const RunGain& x : gains) {
        row.dots.push_back((x.last - x.base) * 100);
        sum += x.last - x.base;
      }
      if (!gains.empty()) {
        row.value = sum / static_cast<double>(gains.size()) * 100;
        row.tooltip = row.label + ": mean gain " + pct(*row.value) + " points over " + std::to_string(gains.size()) +
                      " finished seed(s)";
      } else {
        row.note = "no finished seed with evals at step 0 and later";
        row.tooltip = row.label + ": " + row.note;
      }
      if (const GoldenBand* b = band_for(g, c, dataset, metric)) {
        row.band_lo = (b->gain - b->band) * 100;
        row.band_hi = (b->gain + b->band) * 100;
        row.band_mid = b->gain * 100;
        row.tooltip += "; golden: " + pct(b->gain * 100) + " +- " + pct(b->band * 100).substr(1) + " at step " +
                       std::to_string(b->step);
      }
      p.rows.push_back(std::move(row));
    }
    f.panels.push_back(std::move(p));
  }
  // Both panels must list the same rows: keep the accuracy panel's order and fill gaps.
  if (f.panels[1].rows.size() != f.panels[0].rows.size()) {
    std::vector<BarRow> aligned;
    for (const BarRow& a : f.panels[0].rows) {
      BarRow b{a.label, a.color, std::nullopt, {}, std::nullopt, std::nullopt, std::nullopt, "not logged", a.label + ": no code frequency"};
      for (const BarRow& x : f.panels[1].rows)
        if (x.label == a.label) b = x;
      aligned.push_back(std::move(b));
    }
    f.panels[1].rows = std::move(aligned);
  }
  return {"fig-3-gain-" + slug(dataset), f.title, bar_figure_svg(f)};
}

Figure clip_figure(const ReportData& d) {
  LineFigure f;
  f.title = "Clip fraction vs step";
  f.caption = "share of tokens whose ratio was clipped: low (A < 0, ratio < 1 - eps), high (A > 0, ratio > 1 + eps), in %";
  f.xlabel = "step";
  f.ylabel = "clipped tokens (%)";
  f.ymin = 0;
  for (const CellRuns& c : d.cells) {
    LinePanel p{cell_name(d, c), {}, ""};
    for (const auto& [key, color] : {std::pair{metric_cstr(Metric::clip_frac_low), "#0072b2"}, std::pair{metric_cstr(Metric::clip_frac_high), "#d55e00"}}) {
      std::vector<std::pair<const RunRow*, const std::vector<CurvePoint>*>> runs;
      for (const RunRow& r : c.seeds) {
        auto it = d.steps.find(r.id);
        if (it == d.steps.end()) continue;
        auto k = it->second.find(key);
        if (k != it->second.end()) runs.emplace_back(&r, &k->second);
      }
      if (!runs.empty()) add_seed_lines(p, cell_name(d, c) + " " + key, color, runs);
    }
    if (!p.series.empty()) f.panels.push_back(std::move(p));
  }
  f.legend = {{metric_cstr(Metric::clip_frac_low), "#0072b2", false, kMeanWidth}, {metric_cstr(Metric::clip_frac_high), "#d55e00", false, kMeanWidth}};
  f.legend.insert(f.legend.end(), kStyleLegend.begin(), kStyleLegend.end());
  return {"fig-4-clip-fraction", f.title, f.panels.empty() ? "" : line_figure_svg(f)};
}


// ---- variants: a cell labelled BASE-POINT next to a cell labelled BASE of the same model is a variant of
// it (the regime map: random0.5-upd4 of random0.5; quick: random0.5-noclip). The variant figure lays
// every such point out as rows and every base as a column of panels, so one reward's gain over the
// swept knobs reads down a column and the same point under another reward reads across a row.

// The longest other label of the same model that `label` extends with "-": its base, or "".
std::string variant_base(const std::string& label, const std::set<std::string>& labels) {
  std::string best;
  for (const std::string& b : labels)
    if (b.size() + 1 < label.size() && label.compare(0, b.size(), b) == 0 && label[b.size()] == '-' && b.size() > best.size())
      best = b;
  return best;
}

// Sort key of a point name: its letters, then its number ("upd2" before "upd16"); "" (the base)
// first. A leading "no" is the knob at zero, so "noclip" sorts with the clip points, before "clip0.1".
std::tuple<bool, std::string, double, std::string> point_key(const std::string& p) {
  const std::string q = p.rfind("no", 0) == 0 && p.size() > 2 ? p.substr(2) : p;
  size_t i = 0;
  while (i < q.size() && !((q[i] >= '0' && q[i] <= '9') || q[i] == '.')) ++i;
  double num = 0;
  if (i < q.size()) num = std::strtod(q.c_str() + i, nullptr);
  return {!p.empty(), q.substr(0, i), num, p};
}

Figure variant_figure(const ReportData& d, const std::map<std::string, std::string>& colors, const std::string& dataset) {
  // (suite, model) -> labels; then every base's cells by (suite, model, point).
  std::map<std::pair<std::string, std::string>, std::set<std::string>> labels;
  for (const CellRuns& c : d.cells) labels[{c.suite, c.model}].insert(c.label);
  std::set<std::string> bases;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, const CellRuns*> by_point;  // (base, suite, model, point)
  std::vector<std::tuple<std::string, std::string, bool, std::string, double, std::string>> order;
  std::set<std::tuple<std::string, std::string, std::string>> row_set;
  for (const CellRuns& c : d.cells) {
    const auto& ls = labels[{c.suite, c.model}];
    std::string base = variant_base(c.label, ls);
    if (!base.empty()) bases.insert(base);
  }
  if (bases.empty()) return {};
  for (const CellRuns& c : d.cells) {
    const auto& ls = labels[{c.suite, c.model}];
    std::string base = bases.count(c.label) ? c.label : variant_base(c.label, ls);
    if (base.empty() || !bases.count(base)) continue;
    std::string point = c.label == base ? "" : c.label.substr(base.size() + 1);
    by_point[{base, c.suite, c.model, point}] = &c;
    if (row_set.insert({c.suite, c.model, point}).second) {
      auto [has, letters, num, name] = point_key(point);
      order.emplace_back(c.suite, c.model, has, letters, num, name);
    }
  }
  std::sort(order.begin(), order.end());

  BarFigure f;
  f.title = "Gain of each variant beside its base (" + dataset + ")";
  f.caption = "bar: mean gain (last eval - step 0, points) over finished seeds; dots: seeds; whisker: 95% t interval";
  const std::pair<const char*, const char*> metrics[] = {{metric_cstr(Metric::accuracy), "accuracy"}, {metric_cstr(Metric::code_frequency), "code frequency"}};
  const bool multi_suite = several_suites(d);  // once, not per row
  for (const std::string& base : bases)
    for (const auto& [metric, what] : metrics) {
      BarPanel p{base + ": " + what, "gain (points)", {}};
      for (const auto& [suite, model, has, letters, num, point] : order) {
        BarRow row;
        row.label = (multi_suite ? suite + ": " : "") + model + " \u00b7 " + (point.empty() ? "base" : point);
        row.color = colors.count(base) ? colors.at(base) : "#555";
        auto it = by_point.find({base, suite, model, point});
        if (it == by_point.end()) {
          row.note = "not run";
          row.tooltip = row.label + ": no cell " + base + (point.empty() ? "" : "-" + point);
          p.rows.push_back(std::move(row));
          continue;
        }
        const CellRuns& c = *it->second;
        std::vector<RunGain> gains = d.gains(c, dataset, metric);
        GainSummary g = gain_summary(gains);
        for (const RunGain& x : gains) row.dots.push_back((x.last - x.base) * 100);
        if (g.seeds == 0) {
          row.note = "no finished seed";
          row.tooltip = c.cell + ": " + row.note;
        } else {
          row.value = g.mean * 100;
          row.tooltip = c.cell + " " + what + ": mean gain " + pct(g.mean * 100) + " points over " + std::to_string(g.seeds) +
                        " seed(s)";
          if (g.lo && g.hi) {
            row.ci_lo = *g.lo * 100, row.ci_hi = *g.hi * 100;
            row.tooltip += ", 95% interval [" + pct(*g.lo * 100) + ", " + pct(*g.hi * 100) + "]";
          }
        }
        p.rows.push_back(std::move(row));
      }
      f.panels.push_back(std::move(p));
    }
  return {"fig-5-variants-" + slug(dataset), f.title, bar_figure_svg(f)};
}

}  // namespace

std::map<std::string, std::string> label_colors(const ReportData& d) {
  std::set<std::string> labels;
  for (const CellRuns& c : d.cells) labels.insert(c.label);
  std::map<std::string, std::string> out;
  size_t i = 0;
  for (const std::string& l : labels) out[l] = kPalette[i++ % std::size(kPalette)];
  return out;
}

std::string slug(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), ok = true;
    out.push_back(ok ? c : '-');
  }
  return out.empty() ? "-" : out;
}

std::vector<Figure> report_figures(const ReportData& d, const GoldenView* golden) {
  auto colors = label_colors(d);
  std::vector<Figure> out;
  for (const std::string& ds : d.datasets)
    out.push_back(curve_figure(d, colors, ds, metric_cstr(Metric::accuracy), "fig-1-accuracy-" + slug(ds), "Accuracy"));
  for (const std::string& ds : d.datasets)
    out.push_back(curve_figure(d, colors, ds, metric_cstr(Metric::code_frequency), "fig-2-code-frequency-" + slug(ds), "Code frequency"));
  for (const std::string& ds : d.datasets) out.push_back(gain_figure(d, colors, ds, golden));
  for (const std::string& ds : d.datasets) {
    Figure v = variant_figure(d, colors, ds);
    if (!v.svg.empty()) out.push_back(std::move(v));
  }
  Figure clip = clip_figure(d);
  if (!clip.svg.empty()) out.push_back(std::move(clip));
  // Two datasets whose slugs collide ("a b", "a-b") must not overwrite each other's file.
  std::set<std::string> ids;
  for (Figure& f : out)
    for (int k = 2; !ids.insert(f.id).second; ++k) f.id += "-" + std::to_string(k);
  return out;
}

}  // namespace rlvr::report
