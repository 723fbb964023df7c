#include "report/number_format.h"

#include <fmt/format.h>

#include <cmath>

namespace fg::report {

std::string format_count(std::optional<int64_t> n) {
  if (!n) return "-";
  const double v = static_cast<double>(*n);
  if (std::llabs(*n) < 1000) return std::to_string(*n);
  if (std::fabs(v) < 1e6) return fmt::format("{:.1f}K", v / 1e3);
  if (std::fabs(v) < 1e9) return fmt::format("{:.1f}M", v / 1e6);
  return fmt::format("{:.2f}B", v / 1e9);
}

std::string format_loss(std::optional<double> v) {
  if (!v) return "-";
  if (std::isnan(*v)) return "nan";
  if (std::isinf(*v)) return *v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4f}", *v);
}

std::string format_rate(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "-";
  const int64_t whole = std::llround(*v);
  std::string digits = std::to_string(std::llabs(whole));
  for (int64_t i = static_cast<int64_t>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<size_t>(i), ",");
  return whole < 0 ? "-" + digits : digits;
}

std::string format_duration(std::optional<double> seconds) {
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0) return "-";
  const double s = *seconds;
  if (s < 60) return fmt::format("{:.1f}s", s);
  const int64_t total = std::llround(s);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
}

std::string format_perplexity(double v) {
  if (!std::isfinite(v) || std::fabs(v) >= 1e7) return format_number(v, 4);
  return fmt::format("{:.2f}", v);
}

std::string format_number(std::optional<double> v, int significant) {
  if (!v) return "-";
  if (!std::isfinite(*v)) return std::isnan(*v) ? "nan" : (*v > 0 ? "inf" : "-inf");
  return fmt::format("{:.{}g}", *v, significant);
}

}  // namespace fg::report
