// Conversion between Value and nlohmann::json (CLI arguments, meta values).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "config/jinja/budget.h"

#include "config/jinja/error.h"
#include "config/jinja/value.h"

namespace fg::config::jinja {

namespace {
void json_depth(int64_t depth, const char* what) {
  if (depth > active_limits().max_render_depth)
    throw TemplateError(std::string("maximum recursion depth exceeded ") + what +
                        ": values nest deeper than " +
                        std::to_string(active_limits().max_render_depth) + " levels (" +
                        LimitNames::kRenderDepth + ")");
  check_native_stack("JSON conversion");
}

Value from_json_at(const nlohmann::json& j, int64_t depth);
}  // namespace

Value Value::from_json(const nlohmann::json& j) {
  return from_json_at(j, 1);
}

namespace {
Value from_json_at(const nlohmann::json& j, int64_t depth) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::none();
    case nlohmann::json::value_t::boolean:
      return Value(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return Value(static_cast<int64_t>(j.get<uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Value(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      json_depth(depth, "while reading JSON");
      std::vector<Value> items;
      for (const auto& e : j) items.push_back(from_json_at(e, depth + 1));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      json_depth(depth, "while reading JSON");
      ValueMap m;
      for (auto it = j.begin(); it != j.end(); ++it)
        m.set(it.key(), from_json_at(it.value(), depth + 1));
      return Value::dict(std::move(m));
    }
    default:
      fail("cannot convert JSON value of type " + std::string(j.type_name()));
  }
}

nlohmann::json to_json_at(const Value& v, int64_t depth, std::vector<const void*>& active);
}  // namespace

nlohmann::json Value::to_json() const {
  std::vector<const void*> active;
  return to_json_at(*this, 1, active);
}

namespace {
nlohmann::json to_json_at(const Value& v, int64_t depth, std::vector<const void*>& active) {
  if (const void* id = v.identity(); id && v.kind() != Kind::Function && v.kind() != Kind::Object) {
    if (std::find(active.begin(), active.end(), id) != active.end())
      throw TemplateError("Circular reference detected");
    json_depth(depth, "while converting to JSON");
  }
  switch (v.kind()) {
    case Kind::Undefined:
      v.require_defined();
      return nullptr;
    case Kind::None:
      return nullptr;
    case Kind::Bool:
      return v.as_bool();
    case Kind::Int:
      return v.as_int();
    case Kind::Float:
      return v.as_double();
    case Kind::String:
      return v.as_string();
    case Kind::List:
    case Kind::Tuple: {
      active.push_back(v.identity());
      auto arr = nlohmann::json::array();
      for (const auto& x : v.items()) arr.push_back(to_json_at(x, depth + 1, active));
      active.pop_back();
      return arr;
    }
    case Kind::Dict:
    case Kind::Namespace: {
      active.push_back(v.identity());
      auto obj = nlohmann::json::object();
      for (const auto& [k, x] : v.map()) obj[k.str()] = to_json_at(x, depth + 1, active);
      active.pop_back();
      return obj;
    }
    default:
      return v.repr();
  }
}
}  // namespace

}  // namespace fg::config::jinja
