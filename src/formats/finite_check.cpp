#include "formats/finite_check.h"

#include <cmath>

#include <fmt/format.h>

#include "core/error.h"

namespace fg::formats {

std::optional<int64_t> first_non_finite(std::span<const float> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) return static_cast<int64_t>(i);
  }
  return std::nullopt;
}

void require_finite(std::span<const float> values, std::string_view who,
                    const std::filesystem::path& file, std::string_view tensor) {
  const std::optional<int64_t> bad = first_non_finite(values);
  if (!bad) return;
  int64_t count = 0;
  for (float v : values) count += std::isfinite(v) ? 0 : 1;
  throw IoError(fmt::format(
      "[{}] '{}': tensor '{}' holds a non-finite value ({}) at element {} ({} of {} elements are "
      "not finite); refusing to load it",
      who, file.string(), tensor, values[static_cast<size_t>(*bad)], *bad, count, values.size()));
}

}  // namespace fg::formats
