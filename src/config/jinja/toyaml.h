#pragma once
// The Forgather `toyaml` filter: single-line YAML (PyYAML flow style) for a value.
#include <string>

#include "config/jinja/value.h"

namespace fg::config::jinja {

// int/bool -> decimal / True/False; None -> null; else a one-line PyYAML flow dump.
std::string to_yaml(const Value& v);

// PyYAML's representation of a string scalar in flow context (plain, 'single' or "double").
std::string yaml_scalar(const std::string& s);

}  // namespace fg::config::jinja
