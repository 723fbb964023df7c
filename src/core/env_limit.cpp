#include "core/env_limit.h"

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"

namespace fg {

int64_t env_limit(const char* name, int64_t fallback) {
  const char* raw = std::getenv(name);
  if (raw == nullptr || *raw == '\0') return fallback;
  const std::string_view text(raw);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0)
    throw Error("[Limits] environment variable " + std::string(name) +
                ": expected a positive integer below 2^63, found '" + std::string(text) + "'");
  return value;
}

}  // namespace fg
