#include "config/jinja/methods.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/pyformat.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

namespace {
constexpr const char* kWhitespace = " \t\n\r\f\v";

constexpr size_t kLongNeedle = 32;

// Knuth-Morris-Pratt over accessors (so rfind can run it backwards): O(n + m) on any input.
template <typename Hay, typename Pat>
size_t kmp_search(size_t n, Hay hay, size_t m, Pat pat) {
  reserve_memory(static_cast<int64_t>(m * sizeof(uint32_t)), "a string search");
  std::vector<uint32_t> border(m, 0);  // border[i]: longest proper border of pat[0..i]
  for (size_t i = 1, k = 0; i < m; ++i) {
    while (k > 0 && pat(i) != pat(k)) k = border[k - 1];
    if (pat(i) == pat(k)) ++k;
    border[i] = static_cast<uint32_t>(k);
  }
  for (size_t i = 0, k = 0; i < n; ++i) {
    while (k > 0 && hay(i) != pat(k)) k = border[k - 1];
    if (hay(i) == pat(k)) ++k;
    if (k == m) return i + 1 - m;
  }
  return std::string::npos;
}

}  // namespace

size_t str_find(const std::string& s, const std::string& needle, size_t from) {
  if (needle.size() < kLongNeedle || needle.size() > UINT32_MAX || from >= s.size())
    return s.find(needle, from);
  const size_t r = kmp_search(
      s.size() - from, [&](size_t i) { return s[from + i]; }, needle.size(),
      [&](size_t i) { return needle[i]; });
  return r == std::string::npos ? r : r + from;
}

size_t str_rfind(const std::string& s, const std::string& needle) {
  if (needle.size() < kLongNeedle || needle.size() > UINT32_MAX) return s.rfind(needle);
  const size_t n = s.size(), m = needle.size();
  if (m > n) return std::string::npos;
  const size_t r = kmp_search(
      n, [&](size_t i) { return s[n - 1 - i]; }, m, [&](size_t i) { return needle[m - 1 - i]; });
  return r == std::string::npos ? r : n - r - m;
}

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
  if (!sep.is_string()) throw TemplateError("must be str or None, not " + sep.python_type());
  const std::string& d = sep.as_string();
  if (d.empty()) throw TemplateError("empty separator");
  size_t pos = 0;
  while (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) {
    size_t p = str_find(s, d, pos);
    if (p == std::string::npos) break;
    out.push_back(s.substr(pos, p - pos));
    pos = p + d.size();
  }
  out.push_back(s.substr(pos));
  return out;
}

std::string py_strip(const std::string& s, const Value& chars, bool left, bool right) {
  if (!chars.is_none() && !chars.is_undefined() && !chars.is_string())
    throw TemplateError("strip arg must be None or str");
  std::string set = (chars.is_none() || chars.is_undefined()) ? kWhitespace : chars.as_string();
  bool strip[256] = {};  // a table, so a long `chars` costs nothing per character of s
  for (unsigned char c : set) strip[c] = true;
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && strip[static_cast<unsigned char>(s[b])]) ++b;
  }
  if (right) {
    while (e > b && strip[static_cast<unsigned char>(s[e - 1])]) --e;
  }
  return s.substr(b, e - b);
}

}  // namespace fg::config::jinja
