#include "report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace rlvr::report {

namespace {

// Layout constants (pixels). Text widths are estimated at ~6.6 px per character of 12 px
// sans-serif: no font metrics are available without a browser, and an overestimate only costs space.
constexpr double kCharW = 6.6;
constexpr double kPanelW = 340, kPanelH = 230;
constexpr double kPadL = 52, kPadR = 14, kPadT = 26, kPadB = 44;  // plot area inside a panel
constexpr double kBarRowH = 22, kBarPanelW = 300;
constexpr const char* kAxisColor = "#444";
constexpr const char* kGridColor = "#e3e3e3";

double text_w(std::string_view s) { return kCharW * static_cast<double>(s.size()); }

std::string text(double x, double y, std::string_view s, const char* extra = "") {
  return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"" + extra + ">" + xml_escape(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke, double w = 1,
                 const char* extra = "") {
  return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) + "\" y2=\"" + coord(y2) +
         "\" stroke=\"" + stroke + "\" stroke-width=\"" + coord(w) + "\"" + extra + "/>\n";
}

std::string svg_open(double w, double h, std::string_view title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + coord(w) + "\" height=\"" + coord(h) +
         "\" viewBox=\"0 0 " + coord(w) + " " + coord(h) +
         "\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n<title>" +
         xml_escape(title) + "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
}

// Title, caption and a wrapped legend at the top of a figure; returns the y where content starts.
double header(std::string& out, double width, const std::string& title, const std::string& caption,
              const std::vector<LegendEntry>& legend) {
  out += text(12, 22, title, " font-size=\"16\" font-weight=\"bold\"");
  double y = 30;
  if (!caption.empty()) {
    out += text(12, 46, caption, " fill=\"#555\"");
    y = 52;
  }
  if (legend.empty()) return y + 8;
  double x = 12, ly = y + 16;
  for (const LegendEntry& e : legend) {
    double w = 30 + text_w(e.label) + 18;
    if (x + w > width - 8 && x > 12) {
      x = 12;
      ly += 18;
    }
    out += line(x, ly - 4, x + 24, ly - 4, e.color.c_str(), e.width, e.dashed ? " stroke-dasharray=\"5 3\"" : "");
    out += text(x + 30, ly, e.label);
    x += w;
  }
  return ly + 12;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// One panel's axes: grid, ticks, labels. Maps data to pixels inside [x0, x0 + w] x [y0, y0 + h].
struct Frame {
  double x0, y0, w, h;
  Ticks xt, yt;
  double px(double x) const { return x0 + (x - xt.lo) / (xt.hi - xt.lo) * w; }
  double py(double y) const { return y0 + h - (y - yt.lo) / (yt.hi - yt.lo) * h; }
};

void draw_axes(std::string& out, const Frame& f, const std::string& xlabel, const std::string& ylabel) {
  for (double v : f.yt.values) {
    out += line(f.x0, f.py(v), f.x0 + f.w, f.py(v), kGridColor);
    out += text(f.x0 - 6, f.py(v) + 4, tick_label(v, f.yt.decimals), " text-anchor=\"end\" fill=\"#333\"");
  }
  for (double v : f.xt.values) {
    out += line(f.px(v), f.y0 + f.h, f.px(v), f.y0 + f.h + 4, kAxisColor);
    out += text(f.px(v), f.y0 + f.h + 17, tick_label(v, f.xt.decimals), " text-anchor=\"middle\" fill=\"#333\"");
  }
  out += line(f.x0, f.y0 + f.h, f.x0 + f.w, f.y0 + f.h, kAxisColor);
  out += line(f.x0, f.y0, f.x0, f.y0 + f.h, kAxisColor);
  out += text(f.x0 + f.w / 2, f.y0 + f.h + 34, xlabel, " text-anchor=\"middle\"");
  double cy = f.y0 + f.h / 2, cx = f.x0 - 40;
  out += "<text x=\"" + coord(cx) + "\" y=\"" + coord(cy) + "\" text-anchor=\"middle\" transform=\"rotate(-90 " +
         coord(cx) + " " + coord(cy) + ")\">" + xml_escape(ylabel) + "</text>\n";
}

void draw_series(std::string& out, const Frame& f, const Series& s) {
  std::string d;
  std::vector<std::pair<double, double>> lonely;  // points with no neighbour: a line cannot show them
  const auto& p = s.points;
  for (size_t i = 0; i < p.size(); ++i) {
    if (!p[i].y) continue;
    bool prev = i > 0 && p[i - 1].y, next = i + 1 < p.size() && p[i + 1].y;
    d += (prev ? " L" : (d.empty() ? "M" : " M")) + coord(f.px(p[i].x)) + " " + coord(f.py(*p[i].y));
    if (!prev && !next) lonely.emplace_back(f.px(p[i].x), f.py(*p[i].y));
  }
  if (d.empty()) return;
  out += "<g><title>" + xml_escape(s.tooltip) + "</title>";
  out += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + xml_escape(s.color) + "\" stroke-width=\"" + coord(s.width) +
         "\" stroke-opacity=\"" + coord(s.opacity) + "\" stroke-linejoin=\"round\"" +
         (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>";
  // Bold lines get markers at every point (eval steps are sparse); thin ones only where isolated.
  for (size_t i = 0; i < p.size(); ++i) {
    if (!p[i].y) continue;
    bool mark = s.width >= 2 ||
                std::find(lonely.begin(), lonely.end(), std::make_pair(f.px(p[i].x), f.py(*p[i].y))) != lonely.end();
    if (mark)
      out += "<circle cx=\"" + coord(f.px(p[i].x)) + "\" cy=\"" + coord(f.py(*p[i].y)) + "\" r=\"" +
             coord(s.width >= 2 ? 2.6 : 1.8) + "\" fill=\"" + xml_escape(s.color) + "\" fill-opacity=\"" +
             coord(s.opacity) + "\"/>";
  }
  out += "</g>\n";
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out.push_back(c);
    }
  }
  return out;
}

Ticks nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {  // one value: give it some room
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= lo == 0 ? 0 : pad;
    hi += pad;
  }
  target = std::max(target, 2);
  double raw = (hi - lo) / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) {
      step = m * mag;
      break;
    }
  Ticks t;
  t.step = step;
  double a = std::floor(lo / step + 1e-9), b = std::ceil(hi / step - 1e-9);
  t.lo = a * step;
  t.hi = b * step;
  for (double i = a; i <= b + 0.5; i += 1) t.values.push_back(i * step);
  t.decimals = 0;
  while (t.decimals < 10) {
    double scaled = step * std::pow(10.0, t.decimals);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++t.decimals;
  }
  return t;
}

std::string tick_label(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string coord(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string line_figure_svg(const LineFigure& f) {
  Range xr, yr;
  if (f.ymin) yr.add(*f.ymin);
  if (f.ymax) yr.add(*f.ymax);
  for (const LinePanel& p : f.panels)
    for (const Series& s : p.series)
      for (const Point& pt : s.points) {
        if (!pt.y) continue;
        xr.add(pt.x);
        yr.add(*pt.y);
      }
  if (xr.empty()) xr = {0, 1};
  if (yr.empty()) yr = {0, 1};
  Ticks xt = nice_ticks(xr.lo, xr.hi, 5), yt = nice_ticks(yr.lo, yr.hi, 5);

  int cols = std::max(1, std::min<int>(f.columns, static_cast<int>(std::max<size_t>(f.panels.size(), 1))));
  int rows = static_cast<int>((f.panels.size() + cols - 1) / cols);
  double width = std::max(cols * kPanelW + 16, 520.0);
  std::string body;
  double top = header(body, width, f.title, f.caption, f.legend);
  double height = top + std::max(rows, 1) * kPanelH + 8;

  for (size_t i = 0; i < f.panels.size(); ++i) {
    const LinePanel& p = f.panels[i];
    double ox = 8 + static_cast<double>(i % cols) * kPanelW, oy = top + static_cast<double>(i / cols) * kPanelH;
    Frame fr{ox + kPadL, oy + kPadT, kPanelW - kPadL - kPadR, kPanelH - kPadT - kPadB, xt, yt};
    body += "<g class=\"panel\">\n";
    body += text(fr.x0 + fr.w / 2, oy + 16, p.title, " text-anchor=\"middle\" font-weight=\"bold\"");
    draw_axes(body, fr, f.xlabel, f.ylabel);
    bool any = false;
    for (const Series& s : p.series) {
      for (const Point& pt : s.points) any = any || pt.y.has_value();
      draw_series(body, fr, s);
    }
    if (!any)
      body += text(fr.x0 + fr.w / 2, fr.y0 + fr.h / 2, p.note.empty() ? "no data" : p.note,
                   " text-anchor=\"middle\" fill=\"#b00\" font-style=\"italic\"");
    body += "</g>\n";
  }
  return svg_open(width, height, f.title) + body + "</svg>\n";
}

std::string bar_figure_svg(const BarFigure& f) {
  size_t nrows = 0;
  double label_w = 60;
  for (const BarPanel& p : f.panels) {
    nrows = std::max(nrows, p.rows.size());
    for (const BarRow& r : p.rows) label_w = std::max(label_w, text_w(r.label) + 16);
  }
  double width = std::max(label_w + static_cast<double>(f.panels.size()) * (kBarPanelW + 24) + 16, 520.0);
  std::string body;
  double top = header(body, width, f.title, f.caption, f.legend) + 20;  // + panel titles
  double plot_h = static_cast<double>(std::max<size_t>(nrows, 1)) * kBarRowH;
  double height = top + plot_h + 48;

  // Row labels once, on the left (every panel lists the same rows in the same order).
  if (!f.panels.empty())
    for (size_t i = 0; i < f.panels[0].rows.size(); ++i)
      body += text(label_w - 8, top + (static_cast<double>(i) + 0.5) * kBarRowH + 4, f.panels[0].rows[i].label,
                   " text-anchor=\"end\"");

  for (size_t pi = 0; pi < f.panels.size(); ++pi) {
    const BarPanel& p = f.panels[pi];
    Range r;
    r.add(0);
    for (const BarRow& row : p.rows) {
      if (row.value) r.add(*row.value);
      for (double d : row.dots) r.add(d);
      if (row.band_lo) r.add(*row.band_lo);
      if (row.band_hi) r.add(*row.band_hi);
      if (row.ci_lo) r.add(*row.ci_lo);
      if (row.ci_hi) r.add(*row.ci_hi);
    }
    Ticks xt = nice_ticks(r.lo, r.hi, 5);
    double x0 = label_w + static_cast<double>(pi) * (kBarPanelW + 24) + 8, w = kBarPanelW;
    auto px = [&](double v) { return x0 + (v - xt.lo) / (xt.hi - xt.lo) * w; };
    body += "<g class=\"panel\">\n";
    body += text(x0 + w / 2, top - 8, p.title, " text-anchor=\"middle\" font-weight=\"bold\"");
    for (double v : xt.values) {
      body += line(px(v), top, px(v), top + plot_h, kGridColor);
      body += text(px(v), top + plot_h + 16, tick_label(v, xt.decimals), " text-anchor=\"middle\" fill=\"#333\"");
    }
    body += line(x0, top + plot_h, x0 + w, top + plot_h, kAxisColor);
    body += text(x0 + w / 2, top + plot_h + 34, p.xlabel, " text-anchor=\"middle\"");
    for (size_t i = 0; i < p.rows.size(); ++i) {
      const BarRow& row = p.rows[i];
      double cy = top + (static_cast<double>(i) + 0.5) * kBarRowH;
      body += "<g><title>" + xml_escape(row.tooltip) + "</title>";
      if (row.band_lo && row.band_hi) {
        double a = px(*row.band_lo), b = px(*row.band_hi);
        body += "<rect x=\"" + coord(std::min(a, b)) + "\" y=\"" + coord(cy - kBarRowH / 2 + 1) + "\" width=\"" +
                coord(std::fabs(b - a)) + "\" height=\"" + coord(kBarRowH - 2) +
                "\" fill=\"#888\" fill-opacity=\"0.22\" stroke=\"#555\" stroke-dasharray=\"3 2\"/>";
      }
      if (row.value) {
        double a = px(0), b = px(*row.value);
        body += "<rect x=\"" + coord(std::min(a, b)) + "\" y=\"" + coord(cy - 6) + "\" width=\"" +
                coord(std::max(std::fabs(b - a), 1.0)) + "\" height=\"12\" fill=\"" + xml_escape(row.color) +
                "\" fill-opacity=\"0.8\"/>";
      } else if (!row.note.empty()) {
        body += text(px(0) + 4, cy + 4, row.note, " fill=\"#b00\" font-style=\"italic\"");
      }
      if (row.ci_lo && row.ci_hi) {  // whisker with end caps, over the bar
        double a = px(*row.ci_lo), b = px(*row.ci_hi);
        body += line(a, cy, b, cy, "#111", 1.4) + line(a, cy - 5, a, cy + 5, "#111", 1.4) + line(b, cy - 5, b, cy + 5, "#111", 1.4);
      }
      if (row.band_mid) body += line(px(*row.band_mid), cy - kBarRowH / 2 + 1, px(*row.band_mid), cy + kBarRowH / 2 - 1, "#222", 1.5);
      for (size_t k = 0; k < row.dots.size(); ++k)  // a small fixed vertical offset keeps equal seeds apart
        body += "<circle cx=\"" + coord(px(row.dots[k])) + "\" cy=\"" + coord(cy + (static_cast<double>(k % 3) - 1) * 3) +
                "\" r=\"2.8\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"1.2\"/>";
      body += "</g>\n";
    }
    body += line(px(0), top, px(0), top + plot_h, kAxisColor, 1.2);
    body += "</g>\n";
  }
  return svg_open(width, height, f.title) + body + "</svg>\n";
}

}  // namespace rlvr::report
