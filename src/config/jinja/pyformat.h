#pragma once
// Python string formatting: str.format() with the format-spec mini-language, format(v, spec),
// and printf-style `%` formatting (the `format` filter and the `%` operator).
#include <string>

#include "config/jinja/value.h"

namespace fg::config::jinja {

// format(value, spec), e.g. ("x", "#^40"), (0.001, ".2e"), (1234567, ",").
std::string format_value(const Value& v, const std::string& spec);
// "{} {name:>5}".format(*args, **kwargs)
std::string str_format(const std::string& fmt, const Args& args);
// "%s-%05.2f" % args (args: a tuple for several values, a dict for %(name)s, else one value)
std::string percent_format(const std::string& fmt, const Value& args);

}  // namespace fg::config::jinja
