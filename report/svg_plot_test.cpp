#include "report/svg_plot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace rlvr::report {
namespace {

std::vector<double> vals(std::initializer_list<double> v) { return v; }

TEST(SvgTicks, UnitRangeGetsFifthSteps) {
  Ticks t = nice_ticks(0, 1, 5);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  ASSERT_EQ(t.values.size(), 6u);
  EXPECT_DOUBLE_EQ(t.values.front(), 0);
  EXPECT_NEAR(t.values.back(), 1, 1e-12);
  EXPECT_EQ(t.decimals, 1);
}

TEST(SvgTicks, PercentRange) {
  Ticks t = nice_ticks(0, 100, 5);
  EXPECT_DOUBLE_EQ(t.step, 20);
  EXPECT_EQ(t.values, vals({0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(t.decimals, 0);
}

TEST(SvgTicks, RangeIsWidenedToWholeSteps) {
  Ticks t = nice_ticks(-3.2, 7.9, 5);
  EXPECT_DOUBLE_EQ(t.step, 2.5);
  EXPECT_DOUBLE_EQ(t.lo, -5);
  EXPECT_DOUBLE_EQ(t.hi, 10);
  EXPECT_EQ(t.decimals, 1);
  EXPECT_LE(t.lo, -3.2);
  EXPECT_GE(t.hi, 7.9);
}

TEST(SvgTicks, SmallFractionsGetEnoughDecimals) {
  Ticks t = nice_ticks(0, 0.037, 4);
  EXPECT_NEAR(t.step, 0.01, 1e-15);
  EXPECT_EQ(t.decimals, 2);
  EXPECT_EQ(tick_label(t.values[3], t.decimals), "0.03");
  EXPECT_GE(t.hi, 0.037);
}

TEST(SvgTicks, ExactBoundsAreNotWidened) {
  // 0.3 / 0.1 is 2.9999999999999996 in doubles: the bound must still land on 0.3, not 0.2.
  Ticks t = nice_ticks(0.3, 0.7, 4);
  EXPECT_NEAR(t.lo, 0.3, 1e-12);
  EXPECT_NEAR(t.hi, 0.7, 1e-12);
}

TEST(SvgTicks, DegenerateAndNonFiniteRanges) {
  Ticks zero = nice_ticks(0, 0);
  EXPECT_DOUBLE_EQ(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
  Ticks one = nice_ticks(50, 50);
  EXPECT_LT(one.lo, 50);
  EXPECT_GT(one.hi, 50);
  Ticks nan = nice_ticks(std::nan(""), 3);
  EXPECT_FALSE(nan.values.empty());
  Ticks rev = nice_ticks(10, 0);
  EXPECT_DOUBLE_EQ(rev.lo, 0);
  EXPECT_DOUBLE_EQ(rev.hi, 10);
}

TEST(SvgTicks, LabelsAndCoordinates) {
  EXPECT_EQ(tick_label(-0.0001, 1), "0.0");
  EXPECT_EQ(tick_label(-2.5, 1), "-2.5");
  EXPECT_EQ(tick_label(40, 0), "40");
  EXPECT_EQ(coord(12.5), "12.5");
  EXPECT_EQ(coord(3.0), "3");
  EXPECT_EQ(coord(-0.001), "0");
  EXPECT_EQ(coord(1.005e3), "1005");
  EXPECT_EQ(coord(std::nan("")), "0");
}

TEST(SvgEscape, MarkupAndControlCharacters) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(xml_escape(std::string("x\x01y\nz", 5)), "xy\nz");
  EXPECT_EQ(xml_escape("random0.5"), "random0.5");
}

LineFigure one_panel(std::vector<Point> pts, double width) {
  LineFigure f;
  f.title = "T <1>";
  f.xlabel = "step";
  f.ylabel = "acc";
  f.panels.push_back({"m & n", {{"#123456", width, 1.0, false, "tip", std::move(pts)}}, ""});
  return f;
}

TEST(SvgLine, GapsBreakTheLine) {
  std::string svg = line_figure_svg(one_panel({{0, 1.0}, {1, 2.0}, {2, std::nullopt}, {3, 3.0}, {4, 4.0}}, 1));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("<path d=\"([^\"]*)\"")));
  std::string d = m[1];
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 2) << d;
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 2) << d;
  EXPECT_NE(svg.find("<title>T &lt;1&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("m &amp; n"), std::string::npos);
  EXPECT_EQ(svg.find("m & n"), std::string::npos);
}

TEST(SvgLine, IsolatedPointsGetMarkersThinLinesOtherwiseNot) {
  std::string lonely = line_figure_svg(one_panel({{0, 1.0}, {1, std::nullopt}, {2, 3.0}}, 1));
  size_t circles = 0;
  for (size_t p = lonely.find("<circle"); p != std::string::npos; p = lonely.find("<circle", p + 1)) ++circles;
  EXPECT_EQ(circles, 2u);
  std::string thin = line_figure_svg(one_panel({{0, 1.0}, {1, 2.0}}, 1));
  EXPECT_EQ(thin.find("<circle"), std::string::npos);
  std::string bold = line_figure_svg(one_panel({{0, 1.0}, {1, 2.0}}, 2.4));
  EXPECT_NE(bold.find("<circle"), std::string::npos);
}

TEST(SvgLine, DataOutsideFixedRangeWidensTheAxis) {
  LineFigure f = one_panel({{0, 150.0}, {10, 20.0}}, 1);
  f.ymin = 0;
  f.ymax = 100;
  std::string svg = line_figure_svg(f);
  EXPECT_NE(svg.find(">150</text>"), std::string::npos) << "the y axis must reach the data";
  EXPECT_NE(svg.find(">10</text>"), std::string::npos) << "x ticks up to the last step";
}

TEST(SvgLine, EmptyPanelShowsItsNote) {
  LineFigure f;
  f.title = "t";
  f.panels.push_back({"p", {}, "no accuracy here"});
  EXPECT_NE(line_figure_svg(f).find("no accuracy here"), std::string::npos);
}

TEST(SvgBar, BarsDotsBandAndNote) {
  BarFigure f;
  f.title = "gains";
  BarPanel p{"Accuracy", "points", {}};
  p.rows.push_back({"a/gt", "#0072b2", 12.5, {10, 15}, 5.0, 25.0, 15.0, "", "tip a"});
  p.rows.push_back({"b/rnd", "#d55e00", std::nullopt, {}, std::nullopt, std::nullopt, std::nullopt, "no seeds", "tip b"});
  f.panels.push_back(p);
  std::string svg = bar_figure_svg(f);
  EXPECT_NE(svg.find("stroke-dasharray=\"3 2\""), std::string::npos) << "band";
  size_t circles = 0;
  for (size_t q = svg.find("<circle"); q != std::string::npos; q = svg.find("<circle", q + 1)) ++circles;
  EXPECT_EQ(circles, 2u);
  EXPECT_NE(svg.find("no seeds"), std::string::npos);
  EXPECT_NE(svg.find(">25</text>"), std::string::npos) << "axis covers the band";
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace rlvr::report
