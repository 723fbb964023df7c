#pragma once
// A hand-written SVG line chart: title, axes with ticks and grid lines, axis labels, one
// polyline per series (with point markers when a series is short), and a legend. No scripts.
#include <string>
#include <vector>

#include "report/log_summary.h"

namespace fg::report {

struct ChartSeries {
  std::string name;
  std::string color;  // any SVG colour; series_color(i) gives a palette
  std::vector<Point> points;
};

struct ChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;  // log10 axes skip non-positive values
  bool log_y = false;
  std::vector<double> x_ticks;  // if set: the x axis spans exactly these ticks (e.g. eval lengths)
  int width = 760;
  int plot_height = 300;
};

// The i-th colour of a palette of ten that stays distinguishable (Tableau 10).
std::string series_color(size_t index);

// The chart as an <svg> element. Non-finite points are left out; a chart with no drawable point
// says "no data". Names are escaped.
std::string render_line_chart(const ChartOptions& options, const std::vector<ChartSeries>& series);

}  // namespace fg::report
