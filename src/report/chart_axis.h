#pragma once
// Axis ranges and tick positions for the SVG charts: "nice" ticks (1, 2 or 5 times a power of
// ten) on a linear axis, decades (plus 2x and 5x when the range is short) on a log10 axis.
#include <string>
#include <vector>

namespace fg::report {

struct Axis {
  double lo = 0;  // the ends of the drawn axis (data range widened to ticks on a linear axis)
  double hi = 1;
  bool log = false;
  double step = 0;  // spacing of linear ticks; 0 on a log axis
  std::vector<double> ticks;

  // Where v falls along the axis, 0 at lo and 1 at hi (outside [0, 1] for values off the axis).
  double fraction(double v) const;
};

// The "nice" number near x: 1, 2, 5 or 10 times a power of ten; rounded to the nearest when
// `round`, else the smallest not below x (Heckbert, Graphics Gems 1990).
double nice_number(double x, bool round);

// A linear axis covering [lo, hi] with about max_ticks ticks. An empty range is widened around
// its value. Requires finite lo <= hi.
Axis linear_axis(double lo, double hi, int max_ticks = 6);
// A log10 axis covering [lo, hi], widened to whole decades. Requires 0 < lo <= hi, finite.
Axis log_axis(double lo, double hi);

// A tick label: as many decimals as the tick spacing needs ("0.5", "1000"), exponent form for
// very small or very large values ("1e-05", "2.5e+06").
std::string format_tick(double value, double step);

}  // namespace fg::report
