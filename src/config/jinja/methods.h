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

// Python str.split / str.strip helpers shared with filters.
std::vector<std::string> py_split(const std::string& s, const Value& sep, int64_t maxsplit);
std::string py_strip(const std::string& s, const Value& chars, bool left, bool right);

}  // namespace fg::config::jinja
