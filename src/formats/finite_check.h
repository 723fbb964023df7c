#pragma once
// Weights and optimizer state read from files must be finite: a NaN or an infinity in a
// checkpoint or a model directory would otherwise load silently and poison every later step.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fg::formats {

// The index of the first NaN or infinity in `values`, if any.
std::optional<int64_t> first_non_finite(std::span<const float> values);

// Throws fg::IoError "[who] '<file>': tensor '<tensor>' holds a non-finite value (nan) at element
// <i> ..." when `values` holds a NaN or an infinity.
void require_finite(std::span<const float> values, std::string_view who,
                    const std::filesystem::path& file, std::string_view tensor);

}  // namespace fg::formats
