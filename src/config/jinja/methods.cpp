#include "config/jinja/methods.h"

#include <algorithm>
#include <cctype>

#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {
constexpr const char* kWhitespace = " \t\n\r\f\v";

}  // namespace

std::vector<std::string> py_split(const std::string& s, const Value& sep, int64_t maxsplit) {
  std::vector<std::string> out;
  if (sep.is_none() || sep.is_undefined()) {
    size_t i = s.find_first_not_of(kWhitespace);
    while (i != std::string::npos) {
      if (maxsplit >= 0 && static_cast<int64_t>(out.size()) == maxsplit) {
        std::string rest = s.substr(i);
        rest.erase(rest.find_last_not_of(kWhitespace) + 1);
        out.push_back(rest);
        break;
      }
      size_t j = s.find_first_of(kWhitespace, i);
      out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
      i = j == std::string::npos ? j : s.find_first_not_of(kWhitespace, j);
    }
    return out;
  }
  const std::string& d = sep.as_string();
  if (d.empty()) throw TemplateError("empty separator");
  size_t pos = 0;
  while (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) {
    size_t p = s.find(d, pos);
    if (p == std::string::npos) break;
    out.push_back(s.substr(pos, p - pos));
    pos = p + d.size();
  }
  out.push_back(s.substr(pos));
  return out;
}

std::string py_strip(const std::string& s, const Value& chars, bool left, bool right) {
  std::string set = (chars.is_none() || chars.is_undefined()) ? kWhitespace : chars.as_string();
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && set.find(s[b]) != std::string::npos) ++b;
  }
  if (right) {
    while (e > b && set.find(s[e - 1]) != std::string::npos) --e;
  }
  return s.substr(b, e - b);
}

}  // namespace fg::config::jinja
