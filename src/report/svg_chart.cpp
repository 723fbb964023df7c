#include "report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "report/chart_axis.h"
#include "report/html_escape.h"

namespace fg::report {
namespace {

constexpr double kLeft = 78, kRight = 24, kTop = 40, kBottom = 52, kLegendRow = 20;
constexpr size_t kMarkerLimit = 60;  // series with at most this many points get markers

struct Layout {
  double x0, x1, y0, y1;  // plot area: x0 left, x1 right, y0 top, y1 bottom
};

bool drawable(const Point& p, const ChartOptions& o) {
  return std::isfinite(p.x) && std::isfinite(p.y) && (!o.log_x || p.x > 0) && (!o.log_y || p.y > 0);
}

struct Range {
  double lo = INFINITY, hi = -INFINITY;
  bool empty() const { return lo > hi; }
};

Axis make_axis(const Range& r, bool log, int max_ticks) {
  if (r.empty()) return log ? log_axis(1, 10) : linear_axis(0, 1, max_ticks);
  return log ? log_axis(r.lo, r.hi) : linear_axis(r.lo, r.hi, max_ticks);
}

// An axis with the caller's ticks (sorted, positive on a log axis); labels print as integers or
// with the precision they need.
Axis fixed_axis(std::vector<double> ticks, bool log) {
  std::sort(ticks.begin(), ticks.end());
  Axis axis;
  axis.log = log;
  axis.ticks = ticks;
  axis.lo = ticks.front();
  axis.hi = ticks.back();
  if (axis.hi <= axis.lo) axis.hi = axis.lo + (log ? axis.lo : 1.0);
  return axis;
}

std::string axes_svg(const Layout& l, const Axis& ax, const Axis& ay, const ChartOptions& o) {
  std::string s;
  for (double t : ay.ticks) {
    const double y = l.y1 - ay.fraction(t) * (l.y1 - l.y0);
    s += fmt::format(
        R"(<line class="grid" stroke="#e3e3e3" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)",
        l.x0, y, l.x1, y);
    s += fmt::format(
        R"(<text class="tick" font-size="11" fill="#444" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)",
        l.x0 - 6, y + 4, format_tick(t, ay.step));
  }
  for (double t : ax.ticks) {
    const double x = l.x0 + ax.fraction(t) * (l.x1 - l.x0);
    s += fmt::format(
        R"(<line class="grid" stroke="#e3e3e3" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)",
        x, l.y0, x, l.y1);
    s += fmt::format(
        R"(<text class="tick" font-size="11" fill="#444" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)",
        x, l.y1 + 18, format_tick(t, ax.step));
  }
  s += fmt::format(
      R"(<path class="axis" fill="none" stroke="#333" d="M{:.1f},{:.1f} V{:.1f} H{:.1f}"/>)", l.x0,
      l.y0, l.y1, l.x1);
  s += fmt::format(
      R"(<text class="label" font-size="13" fill="#222" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)",
      (l.x0 + l.x1) / 2, l.y1 + 40, html_escape(o.x_label));
  s += fmt::format(
      R"svg(<text class="label" font-size="13" fill="#222" transform="translate(16,{:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
      (l.y0 + l.y1) / 2, html_escape(o.y_label));
  return s;
}

std::string series_svg(const ChartSeries& cs, const Layout& l, const Axis& ax, const Axis& ay,
                       const ChartOptions& o) {
  std::vector<std::pair<double, double>> xy;
  for (const auto& p : cs.points) {
    if (!drawable(p, o)) continue;
    xy.emplace_back(l.x0 + ax.fraction(p.x) * (l.x1 - l.x0),
                    l.y1 - ay.fraction(p.y) * (l.y1 - l.y0));
  }
  if (xy.empty()) return "";
  const std::string color = html_escape(cs.color);
  std::string s = fmt::format(R"(<g class="series" data-name="{}">)", html_escape(cs.name));
  std::string pts;
  for (const auto& [x, y] : xy) pts += fmt::format("{}{:.1f},{:.1f}", pts.empty() ? "" : " ", x, y);
  s += fmt::format(
      R"(<polyline fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round" points="{}"/>)",
      color, pts);
  if (xy.size() <= kMarkerLimit)
    for (const auto& [x, y] : xy)
      s += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)", x, y, color);
  return s + "</g>";
}

std::string legend_svg(const std::vector<ChartSeries>& series, double x, double y) {
  std::string s = R"(<g class="legend">)";
  for (size_t i = 0; i < series.size(); ++i) {
    const double row = y + static_cast<double>(i) * kLegendRow;
    s += fmt::format(
        R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="3"/>)",
        x, row, x + 24, row, html_escape(series[i].color));
    s += fmt::format(R"(<text font-size="13" fill="#222" x="{:.1f}" y="{:.1f}">{}</text>)", x + 32,
                     row + 4, html_escape(series[i].name));
  }
  return s + "</g>";
}

}  // namespace

std::string series_color(size_t index) {
  static constexpr std::array<const char*, 10> kPalette = {
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kPalette[index % kPalette.size()];
}

std::string render_line_chart(const ChartOptions& o, const std::vector<ChartSeries>& series) {
  Range rx, ry;
  for (const auto& cs : series)
    for (const auto& p : cs.points)
      if (drawable(p, o)) {
        rx.lo = std::min(rx.lo, p.x), rx.hi = std::max(rx.hi, p.x);
        ry.lo = std::min(ry.lo, p.y), ry.hi = std::max(ry.hi, p.y);
      }
  const Axis ax = o.x_ticks.empty() ? make_axis(rx, o.log_x, 8) : fixed_axis(o.x_ticks, o.log_x);
  const Axis ay = make_axis(ry, o.log_y, 6);
  const Layout l{kLeft, o.width - kRight, kTop, kTop + o.plot_height};
  const double height = l.y1 + kBottom + kLegendRow * static_cast<double>(series.size()) + 8;
  std::string s = fmt::format(
      R"(<svg class="chart" font-family="sans-serif" xmlns="http://www.w3.org/2000/svg" width="{}" height="{:.0f}" )"
      R"(viewBox="0 0 {} {:.0f}" role="img" aria-label="{}">)",
      o.width, height, o.width, height, html_escape(o.title));
  s += fmt::format("<title>{}</title>", html_escape(o.title));
  s += fmt::format(R"(<rect width="{}" height="{:.0f}" fill="#ffffff"/>)", o.width, height);
  s += fmt::format(
      R"(<text class="title" font-size="16" font-weight="bold" fill="#111" x="{:.1f}" y="24" text-anchor="middle">{}</text>)",
      o.width / 2.0, html_escape(o.title));
  s += axes_svg(l, ax, ay, o);
  if (rx.empty()) {
    s += fmt::format(
        R"(<text class="nodata" font-size="14" fill="#888" x="{:.1f}" y="{:.1f}" text-anchor="middle">no data</text>)",
        (l.x0 + l.x1) / 2, (l.y0 + l.y1) / 2);
  }
  for (const auto& cs : series) s += series_svg(cs, l, ax, ay, o);
  s += legend_svg(series, l.x0, l.y1 + kBottom + 6);
  return s + "</svg>\n";
}

}  // namespace fg::report
