#include "core/parse_number.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <type_traits>

#include <fmt/format.h>

#include "core/error.h"

namespace fg {
namespace {

// from_chars takes no leading '+'; one is accepted here as a sign, never two signs.
std::string_view strip_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') return text.substr(1);
  return text;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether `text` has the form of an integer (sign and digits), whatever its size.
bool looks_integral(std::string_view text) {
  text = strip_plus(text);
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text)
    if (!is_digit(c)) return false;
  return true;
}

// Whether `text` is written as a decimal number (digits, '.', exponent): excludes "nan", "inf"
// and hexadecimal floats, which from_chars would take.
bool looks_decimal(std::string_view text) {
  text = strip_plus(text);
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  bool digits = false;
  for (char c : text) {
    if (is_digit(c))
      digits = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
      return false;
  }
  return digits;
}

std::string shown(std::string_view text) {
  constexpr size_t kShown = 60;  // hostile values can be megabytes long
  if (text.size() <= kShown) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kShown)) + "...' (" + std::to_string(text.size()) +
         " characters)";
}

}  // namespace

namespace {

enum class Parsed { kOk, kMalformed, kOutOfRange };

template <class T>
Parsed parse_whole(std::string_view text, T* out) {
  text = strip_plus(text);
  if (!(std::is_integral_v<T> ? looks_integral(text) : looks_decimal(text)))
    return Parsed::kMalformed;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  if (ec == std::errc::result_out_of_range) return Parsed::kOutOfRange;
  if (ec != std::errc() || end != text.data() + text.size()) return Parsed::kMalformed;
  if constexpr (!std::is_integral_v<T>)
    if (!std::isfinite(*out)) return Parsed::kOutOfRange;
  return Parsed::kOk;
}

}  // namespace

std::optional<int64_t> try_parse_int(std::string_view text) {
  int64_t v = 0;
  if (parse_whole(text, &v) != Parsed::kOk) return std::nullopt;
  return v;
}

std::optional<double> try_parse_double(std::string_view text) {
  double v = 0;
  if (parse_whole(text, &v) != Parsed::kOk) return std::nullopt;
  return v;
}

std::string int_range_str(int64_t min, int64_t max) {
  if (max == kInt64Max && min == kInt64Min) return "a 64-bit integer";
  if (max == kInt64Max) return fmt::format("an integer >= {}", min);
  return fmt::format("an integer in [{}, {}]", min, max);
}

std::string double_range_str(double min, double max) {
  if (max == kDoubleMax && min == -kDoubleMax) return "a finite number";
  if (max == kDoubleMax) return fmt::format("a finite number >= {}", min);
  return fmt::format("a number in [{}, {}]", min, max);
}

std::string int_problem(std::string_view text, int64_t min, int64_t max) {
  int64_t v = 0;
  const Parsed p = parse_whole(text, &v);
  if (p == Parsed::kOk && v >= min && v <= max) return "";
  std::string why;
  if (p == Parsed::kOutOfRange)
    why = " (out of range for a 64-bit integer)";
  else if (p == Parsed::kMalformed && try_parse_double(text))
    why = " (not an integer)";
  return "expected " + int_range_str(min, max) + ", found " + shown(text) + why;
}

std::string double_problem(std::string_view text, double min, double max) {
  double v = 0;
  const Parsed p = parse_whole(text, &v);
  if (p == Parsed::kOk && v >= min && v <= max) return "";
  const bool overflow = p == Parsed::kOutOfRange;
  return "expected " + double_range_str(min, max) + ", found " + shown(text) +
         (overflow ? " (out of range for a double)" : "");
}

int64_t parse_int(std::string_view text, std::string_view what, int64_t min, int64_t max) {
  const std::string problem = int_problem(text, min, max);
  if (!problem.empty()) throw Error("[" + std::string(what) + "] " + problem);
  return *try_parse_int(text);
}

double parse_double(std::string_view text, std::string_view what, double min, double max) {
  const std::string problem = double_problem(text, min, max);
  if (!problem.empty()) throw Error("[" + std::string(what) + "] " + problem);
  return *try_parse_double(text);
}

}  // namespace fg
