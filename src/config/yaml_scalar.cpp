#include "config/yaml_scalar.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>

namespace fg::config {
namespace {

// The YAML 1.1 number forms are matched by hand rather than with std::regex: libstdc++'s regex
// recurses once per character, so a long hostile scalar would overflow the stack.
class Scan {
 public:
  explicit Scan(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  size_t pos() const { return i_; }
  void reset(size_t pos) { i_ = pos; }
  bool eat(char c) {
    if (done() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool eat_any(std::string_view chars) {
    if (done() || chars.find(s_[i_]) == std::string_view::npos) return false;
    ++i_;
    return true;
  }
  bool eat_word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  // Characters from `chars`; returns how many.
  size_t eat_all(std::string_view chars) {
    const size_t start = i_;
    while (eat_any(chars)) {
    }
    return i_ - start;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kDigitsUnderscore = "0123456789_";

std::string without_underscores(std::string_view s) {
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

// Sign, then the rest; `negative` tells which.
std::string_view strip_sign(std::string_view s, bool* negative) {
  *negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

// Digits (underscores allowed) in `base`, with the sign; false when empty or outside int64
// (such a scalar stays a string rather than silently wrapping).
bool to_int64(std::string_view digits, int base, bool negative, int64_t* out) {
  const std::string d = without_underscores(digits);
  if (d.empty()) return false;
  uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), magnitude, base);
  if (ec != std::errc() || end != d.data() + d.size()) return false;
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + negative;
  if (magnitude > limit) return false;
  *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

// `(:[0-5]?[0-9])+` from the scanner's position; true when at least one group matched.
bool eat_sexagesimal_groups(Scan& scan) {
  size_t groups = 0;
  while (true) {
    const size_t before = scan.pos();
    if (!scan.eat(':')) break;
    const size_t after_colon = scan.pos();
    if (!(scan.eat_any("012345") && scan.eat_any(kDigits))) {
      scan.reset(after_colon);
      if (!scan.eat_any(kDigits)) {
        scan.reset(before);
        break;
      }
    }
    ++groups;
  }
  return groups > 0;
}

// "1:30:05" -> 5405 (base 60 digits after the first); the last group may carry a fraction.
double sexagesimal(std::string_view s) {
  double value = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) colon = s.size();
    const std::string part = without_underscores(s.substr(start, colon - start));
    value = value * 60 + std::strtod(part.c_str(), nullptr);
    start = colon + 1;
  }
  return value;
}

bool resolve_int(const std::string& text, int64_t* out) {
  bool negative = false;
  const std::string_view body = strip_sign(text, &negative);
  Scan scan(body);
  if (scan.eat_word("0b"))
    return scan.eat_all("01_") > 0 && scan.done() && to_int64(body.substr(2), 2, negative, out);
  if (scan.eat_word("0x"))
    return scan.eat_all("0123456789abcdefABCDEF_") > 0 && scan.done() &&
           to_int64(body.substr(2), 16, negative, out);
  if (scan.eat('0')) {
    if (scan.done()) return *out = 0, true;
    return scan.eat_all("01234567_") > 0 && scan.done() && to_int64(body, 8, negative, out);
  }
  if (!scan.eat_any("123456789")) return false;
  scan.eat_all(kDigitsUnderscore);
  if (scan.done()) return to_int64(body, 10, negative, out);
  if (!eat_sexagesimal_groups(scan) || !scan.done()) return false;
  const double value = sexagesimal(body);
  if (!(value < 0x1p63)) return false;
  *out = (negative ? -1 : 1) * static_cast<int64_t>(value);
  return true;
}

// [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?  or  [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
bool is_decimal_float(std::string_view body) {
  Scan scan(body);
  const bool leading = scan.eat_any(kDigits);
  if (leading) scan.eat_all(kDigitsUnderscore);
  const bool dot = scan.eat('.');
  if (!leading && !dot) return false;
  if (dot) scan.eat_all(kDigitsUnderscore);
  if (scan.eat_any("eE")) {
    scan.eat_any("+-");
    if (scan.eat_all(kDigits) == 0) return false;
  } else if (!dot) {
    return false;
  }
  return scan.done();
}

// [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
bool is_sexagesimal_float(std::string_view body) {
  Scan scan(body);
  if (!scan.eat_any(kDigits)) return false;
  scan.eat_all(kDigitsUnderscore);
  if (!eat_sexagesimal_groups(scan) || !scan.eat('.')) return false;
  scan.eat_all(kDigitsUnderscore);
  return scan.done();
}

bool resolve_float(const std::string& text, double* out) {
  bool negative = false;
  const std::string_view body = strip_sign(text, &negative);
  const double sign = negative ? -1 : 1;
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return *out = sign * std::numeric_limits<double>::infinity(), true;
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return *out = std::nan(""), true;
  if (is_decimal_float(body)) {
    const std::string s = without_underscores(body);
    if (s == ".") return false;
    // strtod, not stod: "1e999" is inf as in Python, not an exception.
    char* end = nullptr;
    const double value = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return false;  // e.g. ".e5": no digits at all
    return *out = sign * value, true;
  }
  if (is_sexagesimal_float(body)) return *out = sign * sexagesimal(body), true;
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
