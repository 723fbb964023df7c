#pragma once
// Plain Python values (None, bool, int, float, str, lists, tuples, dicts with str keys) to and
// from JSON: how keyword arguments reach template variables and training arguments.
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace fg::python {

// Throws fg::Error naming `what` and the offending Python type for anything else.
nlohmann::json to_json(pybind11::handle value, const std::string& what);
pybind11::object from_json(const nlohmann::json& value);

}  // namespace fg::python
