#include "tensor/memory_limit.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/parse_number.h"

namespace fg {
namespace {

constexpr const char* kLimitVariable = "FORGATHER_MEMORY_LIMIT";

int64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return kInt64Max;
  return static_cast<int64_t>(pages) * page;
}

// cgroup v2's limit for this process's group; kInt64Max when there is none ("max").
int64_t cgroup_memory() {
  std::ifstream in("/sys/fs/cgroup/memory.max");
  std::string text;
  if (!(in >> text)) return kInt64Max;
  return try_parse_int(text).value_or(kInt64Max);
}

int64_t parse_limit(const std::string& text) {
  int64_t unit = 1;
  std::string digits = text;
  const std::string units = "KMGT";
  if (!digits.empty()) {
    const size_t at = units.find(static_cast<char>(std::toupper(digits.back())));
    if (at != std::string::npos) {
      unit = int64_t{1} << (10 * (at + 1));
      digits.pop_back();
    }
  }
  const int64_t n = parse_int(digits, kLimitVariable, 1, kInt64Max / unit);
  return n * unit;
}

}  // namespace

int64_t tensor_memory_limit() {
  if (const char* env = std::getenv(kLimitVariable); env && *env) return parse_limit(env);
  return std::min(physical_memory(), cgroup_memory());
}

std::string format_bytes(int64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 6) {
    v /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[unit]);
}

void check_tensor_memory(int64_t bytes, int64_t in_use, const std::string& what) {
  if (bytes < kMemoryCheckThreshold) return;
  const int64_t limit = tensor_memory_limit();
  if (bytes <= limit && in_use <= limit - bytes) return;
  throw Error(fmt::format(
      "{} needs {} ({} bytes), with {} of tensors already in use; this machine allows {} "
      "(set {} to change the limit)",
      what, format_bytes(bytes), bytes, format_bytes(in_use), format_bytes(limit), kLimitVariable));
}

}  // namespace fg
