#pragma once
// Bound methods of Python str, list and dict that templates call (`"{}".format(x)`,
// `s.split()`, `d.items()`, `l.append(x)`). Each returns an undefined Value when `name` is
// not a known method.
#include <string>

#include "config/jinja/value.h"

namespace fg::config::jinja {

Value string_method(const Value& self, const std::string& name);
Value list_method(const Value& self, const std::string& name);
Value dict_method(const Value& self, const std::string& name);

// str.find / str.rfind in linear time: needles of 32 bytes or more use Knuth-Morris-Pratt, since
// std::string::find takes O(len(s) * len(needle)) on inputs like "aaa...a".find("aa...ab")
// (and std::boyer_moore_searcher's set-up is quadratic in the needle).
size_t str_find(const std::string& s, const std::string& needle, size_t from = 0);
size_t str_rfind(const std::string& s, const std::string& needle);

// Python str.split / str.strip helpers shared with filters.
std::vector<std::string> py_split(const std::string& s, const Value& sep, int64_t maxsplit);
std::string py_strip(const std::string& s, const Value& chars, bool left, bool right);

}  // namespace fg::config::jinja
