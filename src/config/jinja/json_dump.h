#pragma once
// JSON output matching Python's json.dumps (sort_keys=True) as used by Jinja's `tojson`.
#include <string>

#include "config/jinja/value.h"

namespace fg::config::jinja {

// json.dumps(v, sort_keys=True, indent=indent) with <, >, &, ' escaped as \u00XX.
std::string to_json_html_safe(const Value& v, const Value& indent);

}  // namespace fg::config::jinja
