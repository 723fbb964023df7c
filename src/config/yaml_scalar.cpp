#include "config/yaml_scalar.h"

#include <cmath>
#include <limits>
#include <regex>

namespace fg::config {
namespace {

std::string without_underscores(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

bool resolve_bool(const std::string& s, bool* out) {
  static const char* kTrue[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* kFalse[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  for (const char* t : kTrue)
    if (s == t) return *out = true, true;
  for (const char* f : kFalse)
    if (s == f) return *out = false, true;
  return false;
}

// Sexagesimal "1:30:05" -> 5405 (base 60 digits after the first).
double sexagesimal(const std::string& s) {
  double value = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t colon = s.find(':', start);
    if (colon == std::string::npos) colon = s.size();
    value = value * 60 + std::stod(s.substr(start, colon - start));
    start = colon + 1;
  }
  return value;
}

bool resolve_int(const std::string& text, int64_t* out) {
  static const std::regex bin(R"([-+]?0b[01_]+)");
  static const std::regex oct(R"([-+]?0[0-7_]+)");
  static const std::regex dec(R"([-+]?(0|[1-9][0-9_]*))");
  static const std::regex hex(R"([-+]?0x[0-9a-fA-F_]+)");
  static const std::regex sexa(R"([-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)");
  std::string s = without_underscores(text);
  int64_t sign = 1;
  auto unsigned_part = [&] {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      sign = s[0] == '-' ? -1 : 1;
      return s.substr(1);
    }
    return s;
  };
  try {
    if (std::regex_match(text, bin))
      return *out = sign * std::stoll(unsigned_part().substr(2), nullptr, 2), true;
    if (std::regex_match(text, hex))
      return *out = sign * std::stoll(unsigned_part().substr(2), nullptr, 16), true;
    if (std::regex_match(text, oct))
      return *out = sign * std::stoll(unsigned_part(), nullptr, 8), true;
    if (std::regex_match(text, dec))
      return *out = sign * std::stoll(unsigned_part(), nullptr, 10), true;
    if (std::regex_match(text, sexa))
      return *out = sign * static_cast<int64_t>(sexagesimal(unsigned_part())), true;
  } catch (const std::out_of_range&) {
    return false;  // too large for int64: stays a string rather than silently wrapping
  }
  return false;
}

bool resolve_float(const std::string& text, double* out) {
  // YAML 1.1 forms, plus exponent-only forms (`3e-4`, `1e3`, `1.0e3`): the documented fix.
  static const std::regex fl(
      R"([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+)");
  static const std::regex sexa(R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*)");
  static const std::regex inf(R"([-+]?\.(inf|Inf|INF))");
  static const std::regex nan(R"(\.(nan|NaN|NAN))");
  if (std::regex_match(text, inf)) {
    *out = (text[0] == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
    return true;
  }
  if (std::regex_match(text, nan)) return *out = std::nan(""), true;
  const std::string s = without_underscores(text);
  if (std::regex_match(text, fl)) {
    if (s == "." || s == "+." || s == "-.") return false;
    return *out = std::stod(s), true;
  }
  if (std::regex_match(text, sexa)) {
    const bool neg = s[0] == '-';
    const std::string body = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
    return *out = (neg ? -1 : 1) * sexagesimal(body), true;
  }
  return false;
}

}  // namespace

ScalarValue resolve_plain_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return ScalarNull{};
  bool b = false;
  if (resolve_bool(text, &b)) return b;
  const char c = text[0];
  if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.'))
    return text;
  int64_t i = 0;
  if (resolve_int(text, &i)) return i;
  double d = 0;
  if (resolve_float(text, &d)) return d;
  return text;
}

}  // namespace fg::config
