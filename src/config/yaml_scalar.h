#pragma once
// YAML 1.1 implicit typing of plain (unquoted) scalars, as PyYAML's SafeLoader does it, with one
// deliberate fix: `3e-4`, `1e3`, `1.0e3` are floats (the original read them as strings).
#include <cstdint>
#include <string>
#include <variant>

namespace fg::config {

struct ScalarNull {};
using ScalarValue = std::variant<ScalarNull, bool, int64_t, double, std::string>;

// Resolves a plain scalar. Quoted scalars are always strings and must not be passed here.
ScalarValue resolve_plain_scalar(const std::string& text);

}  // namespace fg::config
