#include "report/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "report/chart_axis.h"

namespace fg::report {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(ChartAxis, NiceNumbers) {
  EXPECT_EQ(nice_number(0.7, false), 1);
  EXPECT_EQ(nice_number(1.3, false), 2);
  EXPECT_EQ(nice_number(3.1, false), 5);
  EXPECT_EQ(nice_number(6, false), 10);
  EXPECT_EQ(nice_number(1.3, true), 1);
  EXPECT_EQ(nice_number(2.5, true), 2);
  EXPECT_EQ(nice_number(4, true), 5);
  EXPECT_DOUBLE_EQ(nice_number(0.034, true), 0.05);
}

TEST(ChartAxis, LinearTicksCoverTheDataAtNiceSteps) {
  const Axis a = linear_axis(2.13, 9.87, 6);
  EXPECT_EQ(a.step, 2);
  EXPECT_EQ(a.lo, 2);
  EXPECT_EQ(a.hi, 10);
  EXPECT_EQ(a.ticks, (std::vector<double>{2, 4, 6, 8, 10}));
  EXPECT_DOUBLE_EQ(a.fraction(6), 0.5);

  const Axis steps = linear_axis(10, 1000, 8);
  EXPECT_EQ(steps.step, 100);
  EXPECT_EQ(steps.lo, 0);
  EXPECT_EQ(steps.hi, 1000);

  const Axis lr = linear_axis(0, 6e-4, 6);
  EXPECT_DOUBLE_EQ(lr.step, 2e-4);
  EXPECT_EQ(lr.ticks.size(), 4u);
  EXPECT_EQ(lr.ticks.front(), 0.0);
}

TEST(ChartAxis, EmptyRangeIsWidenedAndBadRangesThrow) {
  const Axis a = linear_axis(3, 3);
  EXPECT_LT(a.lo, 3);
  EXPECT_GT(a.hi, 3);
  const Axis z = linear_axis(0, 0);
  EXPECT_LE(z.lo, -1);
  EXPECT_GE(z.hi, 1);
  EXPECT_THROW(linear_axis(2, 1), Error);
  EXPECT_THROW(linear_axis(0, INFINITY), Error);
  EXPECT_THROW(log_axis(0, 10), Error);
}

TEST(ChartAxis, LogAxisUsesDecades) {
  const Axis a = log_axis(3, 4000);
  EXPECT_TRUE(a.log);
  EXPECT_EQ(a.lo, 1);
  EXPECT_EQ(a.hi, 10000);
  EXPECT_EQ(a.ticks, (std::vector<double>{1, 10, 100, 1000, 10000}));
  EXPECT_DOUBLE_EQ(a.fraction(100), 0.5);
  const Axis dense = log_axis(256, 2048);  // short range: 2x and 5x ticks, trimmed to the data
  EXPECT_EQ(dense.ticks, (std::vector<double>{200, 500, 1000, 2000, 5000}));
  EXPECT_EQ(dense.lo, 200);
  EXPECT_EQ(dense.hi, 5000);
  const Axis point = log_axis(100, 100);
  EXPECT_EQ(point.lo, 100);
  EXPECT_EQ(point.hi, 200);
}

TEST(ChartAxis, TickLabels) {
  EXPECT_EQ(format_tick(4, 2), "4");
  EXPECT_EQ(format_tick(2.5, 0.5), "2.5");
  EXPECT_EQ(format_tick(0.0003, 0.0001), "0.0003");
  EXPECT_EQ(format_tick(3e-5, 1e-5), "3e-05");
  EXPECT_EQ(format_tick(2e6, 1e6), "2e+06");
  EXPECT_EQ(format_tick(1000, 0), "1000");
}

TEST(SvgChart, OnePolylinePerSeriesWithLegendAndEscapedNames) {
  ChartOptions o{"Train <loss>", "step", "loss"};
  std::vector<ChartSeries> series = {
      {"alibi & co", series_color(0), {{0, 5}, {10, 3}, {20, NAN}, {30, 2}}},
      {"abspe", series_color(1), {{0, 6}, {30, 2.5}}},
  };
  const std::string svg = render_line_chart(o, series);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_EQ(count(svg, "<circle"), 5u);  // the NaN point is left out
  EXPECT_NE(svg.find("alibi &amp; co"), std::string::npos);
  EXPECT_NE(svg.find("Train &lt;loss&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("alibi & co"), std::string::npos);
  EXPECT_NE(svg.find("class=\"legend\""), std::string::npos);
  EXPECT_NE(svg.find(series_color(1)), std::string::npos);
  EXPECT_EQ(svg.find("no data"), std::string::npos);
}

TEST(SvgChart, PointsMapIntoThePlotArea) {
  ChartOptions o{"t", "x", "y"};
  const std::string svg = render_line_chart(o, {{"a", "#000", {{0, 0}, {10, 10}}}});
  // Plot area: x from 78 to width-24=736, y from 40 (top) to 340 (bottom).
  EXPECT_NE(svg.find("points=\"78.0,340.0 736.0,40.0\""), std::string::npos) << svg;
}

TEST(SvgChart, LogScaleSkipsNonPositiveValues) {
  ChartOptions o{"ppl", "length", "perplexity"};
  o.log_y = true;
  const std::string svg = render_line_chart(o, {{"a", "#000", {{1, 0}, {2, 10}, {3, 1000}}}});
  EXPECT_EQ(count(svg, "<circle"), 2u);
}

TEST(SvgChart, ExplicitXTicksSpanTheAxis) {
  ChartOptions o{"ppl", "length", "perplexity"};
  o.log_x = true;
  o.x_ticks = {2048, 256, 512, 1024};
  const std::string svg = render_line_chart(o, {{"a", "#000", {{256, 1}, {2048, 2}}}});
  EXPECT_NE(svg.find(">256</text>"), std::string::npos);
  EXPECT_NE(svg.find(">2048</text>"), std::string::npos);
  EXPECT_NE(svg.find("points=\"78.0,"), std::string::npos);  // 256 at the left edge
  EXPECT_NE(svg.find(" 736.0,"), std::string::npos) << svg;  // 2048 at the right edge
}

TEST(SvgChart, NoDataIsSaid) {
  ChartOptions o{"Eval loss", "step", "loss"};
  const std::string svg = render_line_chart(o, {{"a", "#000", {}}, {"b", "#111", {{1, NAN}}}});
  EXPECT_NE(svg.find("no data"), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), 0u);
}

}  // namespace
}  // namespace fg::report
