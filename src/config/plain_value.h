#pragma once
// Conversions between plain data forms: graph nodes read as data (meta.yaml is never
// materialised), Objects and JSON (CLI dynamic args, template variables).
#include <nlohmann/json.hpp>

#include "config/graph.h"
#include "config/object.h"

namespace fg::config {

// Graph node -> Object without the registry: callable nodes become their tag string,
// !var nodes their default (or none).
Object plain_object(const NodePtr& node);
// Plain Objects (none/bool/int/float/string/list/dict) -> JSON; others -> their repr string.
nlohmann::json object_to_json(const Object& object);
Object json_to_object(const nlohmann::json& j);

}  // namespace fg::config
