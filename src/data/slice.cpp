#include "data/slice.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "core/parse_number.h"
#include "core/strings.h"

namespace fg::data {

namespace {

// One bound: "", "500" or "10%".
void parse_bound(std::string_view s, const std::string& whole, std::optional<double>& value,
                 bool& percent) {
  s = trim(s);
  if (s.empty()) return;
  percent = ends_with(s, "%");
  if (percent) s.remove_suffix(1);
  std::string digits(s);
  // A count is a whole int64; a percentage any finite number. -1 marks text that is neither.
  const double v = percent ? try_parse_double(digits).value_or(-1)
                           : static_cast<double>(try_parse_int(digits).value_or(-1));
  FG_CHECK(v >= 0,
           "[Slice] expected '[start:end]' with non-negative integers or percentages, got '{}'",
           whole);
  FG_CHECK(!percent || v <= 100, "[Slice] expected a percentage in 0..100%, got '{}'", whole);
  value = v;
}

int64_t bound_to_index(double v, bool percent, int64_t count) {
  double x = percent ? std::floor(v * static_cast<double>(count) / 100.0) : v;
  if (x >= static_cast<double>(count)) return count;  // also keeps the cast below in range
  return std::clamp<int64_t>(static_cast<int64_t>(x), 0, count);
}

}  // namespace

Slice parse_slice(const std::string& text) {
  Slice s;
  std::string_view t = trim(text);
  if (t.empty()) return s;
  FG_CHECK(t.size() >= 2 && t.front() == '[' && t.back() == ']',
           "[Slice] expected '[start:end]', got '{}'", text);
  t = t.substr(1, t.size() - 2);
  size_t colon = t.find(':');
  FG_CHECK(colon != std::string_view::npos && t.find(':', colon + 1) == std::string_view::npos,
           "[Slice] expected exactly one ':' in '{}'", text);
  parse_bound(t.substr(0, colon), text, s.start, s.start_percent);
  parse_bound(t.substr(colon + 1), text, s.end, s.end_percent);
  return s;
}

std::pair<int64_t, int64_t> Slice::resolve(int64_t count) const {
  int64_t first = start ? bound_to_index(*start, start_percent, count) : 0;
  int64_t last = end ? bound_to_index(*end, end_percent, count) : count;
  return {first, std::max(first, last)};
}

std::optional<int64_t> Slice::prefix_limit() const {
  if ((start && start_percent) || (end && end_percent) || !end) return std::nullopt;
  return static_cast<int64_t>(*end);
}

std::string Slice::to_string() const {
  auto bound = [](const std::optional<double>& v, bool pct) -> std::string {
    if (!v) return "";
    return pct ? fmt::format("{}%", *v) : fmt::format("{}", static_cast<int64_t>(*v));
  };
  return "[" + bound(start, start_percent) + ":" + bound(end, end_percent) + "]";
}

SplitSpec parse_split_spec(const std::string& text) {
  SplitSpec spec;
  size_t bracket = text.find('[');
  spec.name = std::string(trim(text.substr(0, bracket)));
  FG_CHECK(!spec.name.empty(), "[Split] expected a split name such as 'train[:10%]', got '{}'",
           text);
  if (bracket != std::string::npos) spec.slice = parse_slice(text.substr(bracket));
  return spec;
}

}  // namespace fg::data
