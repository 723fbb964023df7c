#include "report/chart_axis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace fg::report {

double Axis::fraction(double v) const {
  if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (v - lo) / (hi - lo);
}

double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double base = std::pow(10.0, exponent);
  const double f = x / base;
  double nice = 10;
  if (round) {
    nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  } else {
    nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  }
  return nice * base;
}

Axis linear_axis(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    throw Error(fmt::format("[linear_axis] expected finite lo <= hi, got [{}, {}]", lo, hi));
  if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {
    const double pad = lo != 0 ? std::fabs(lo) * 0.1 : 1.0;
    lo -= pad;
    hi += pad;
  }
  max_ticks = std::max(max_ticks, 2);
  const double range = nice_number(hi - lo, false);
  Axis axis;
  axis.step = nice_number(range / (max_ticks - 1), true);
  axis.lo = std::floor(lo / axis.step) * axis.step;
  axis.hi = std::ceil(hi / axis.step) * axis.step;
  const auto n = static_cast<int64_t>(std::llround((axis.hi - axis.lo) / axis.step));
  for (int64_t i = 0; i <= n; ++i) {
    double t = axis.lo + static_cast<double>(i) * axis.step;
    if (std::fabs(t) < axis.step * 1e-9) t = 0;  // no "-0" or 1e-17 labels
    axis.ticks.push_back(t);
  }
  return axis;
}

Axis log_axis(double lo, double hi) {
  if (!(lo > 0) || !std::isfinite(hi) || lo > hi)
    throw Error(fmt::format("[log_axis] expected finite 0 < lo <= hi, got [{}, {}]", lo, hi));
  auto lo_exp = static_cast<int>(std::floor(std::log10(lo) + 1e-12));
  auto hi_exp = static_cast<int>(std::ceil(std::log10(hi) - 1e-12));
  if (hi_exp <= lo_exp) hi_exp = lo_exp + 1;
  const bool dense = hi_exp - lo_exp <= 2;
  std::vector<double> candidates;
  for (int e = lo_exp; e <= hi_exp; ++e) {
    const double base = std::pow(10.0, e);
    candidates.push_back(base);
    if (dense && e < hi_exp) {
      candidates.push_back(2 * base);
      candidates.push_back(5 * base);
    }
  }
  // Keep the ticks from the last one at or below lo to the first one at or above hi.
  Axis axis;
  axis.log = true;
  axis.lo = candidates.front();
  axis.hi = candidates.back();
  for (double t : candidates) {
    if (t <= lo * (1 + 1e-12)) axis.lo = t;
    if (t >= hi * (1 - 1e-12)) {
      axis.hi = t;
      break;
    }
  }
  if (axis.hi <= axis.lo)
    axis.hi = *std::upper_bound(candidates.begin(), candidates.end(), axis.lo);
  for (double t : candidates)
    if (t >= axis.lo && t <= axis.hi) axis.ticks.push_back(t);
  return axis;
}

std::string format_tick(double value, double step) {
  const double mag = std::max(std::fabs(value), std::fabs(step));
  if (value != 0 && (mag >= 1e6 || (step > 0 && step < 1e-4) || (step == 0 && mag < 1e-3)))
    return fmt::format("{:.3g}", value);
  if (step <= 0) return fmt::format("{:g}", value);
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  return fmt::format("{:.{}f}", value, decimals);
}

}  // namespace fg::report
