// svg_plot.h: the small SVG plotting kit the report draws with: nice axis ticks, escaping, and two
// chart kinds (line small-multiples and horizontal bars), each a complete standalone <svg> element.
// No JavaScript, no fonts or files from outside: the same SVG works inline in HTML and on its own.
// Output is a pure function of the input (fixed number formatting), so a report is reproducible.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::report {

// Escapes &, <, >, " and ' for XML/HTML text and attribute values; drops control characters that
// XML 1.0 forbids (a stray byte in a cell name must not make the whole SVG unparseable).
std::string xml_escape(std::string_view s);

// Tick values covering [lo, hi] with a "nice" step (1, 2, 2.5 or 5 times a power of ten), about
// `target` of them. The returned range [lo, hi] is widened to whole steps; lo == hi is widened too.
struct Ticks {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> values;
  int decimals = 0;  // digits after the point that show every tick exactly
};
Ticks nice_ticks(double lo, double hi, int target = 5);
// A tick value with `decimals` digits ("0", "2.5", "-10"); never "-0".
std::string tick_label(double v, int decimals);
// An SVG coordinate: two decimals, no exponent, no "-0.00".
std::string coord(double v);

struct Point {
  double x = 0;
  std::optional<double> y;  // nullopt: a gap (NaN was logged); the line breaks there
};

struct Series {
  std::string color;   // CSS colour, e.g. "#0072b2"
  double width = 1.0;  // stroke width
  double opacity = 1.0;
  bool dashed = false;
  std::string tooltip;  // <title> of the line (hover text)
  std::vector<Point> points;
};

struct LegendEntry {
  std::string label, color;
  bool dashed = false;
  double width = 2.0;
};

struct LinePanel {
  std::string title;
  std::vector<Series> series;
  std::string note;  // shown inside the panel when it has nothing to draw
};

struct LineFigure {
  std::string title, xlabel, ylabel;
  std::optional<double> ymin, ymax;  // fixed y range (e.g. 0..100 %); else from the data
  std::vector<LinePanel> panels;     // drawn in a grid, `columns` per row, shared axes ranges
  int columns = 3;
  std::vector<LegendEntry> legend;
  std::string caption;  // one line under the title
};

std::string line_figure_svg(const LineFigure& f);

struct BarRow {
  std::string label;
  std::string color;
  std::optional<double> value;  // bar length; nullopt: no bar (note says why)
  std::vector<double> dots;     // per-seed values drawn on the bar
  std::optional<double> band_lo, band_hi, band_mid;  // a reference band (golden claim)
  std::string note;             // drawn right of the axis when there is no value
  std::string tooltip;
  std::optional<double> ci_lo, ci_hi;  // an interval (e.g. 95% over seeds), drawn as a whisker with caps
};

struct BarPanel {
  std::string title, xlabel;
  std::vector<BarRow> rows;  // every panel of a figure has the same row labels, in order
};

struct BarFigure {
  std::string title, caption;
  std::vector<BarPanel> panels;  // side by side, one shared label column at the left
  std::vector<LegendEntry> legend;
};

std::string bar_figure_svg(const BarFigure& f);

}  // namespace rlvr::report
