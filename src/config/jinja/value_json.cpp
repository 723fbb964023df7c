// Conversion between Value and nlohmann::json (CLI arguments, meta values).
#include <nlohmann/json.hpp>

#include "config/jinja/error.h"
#include "config/jinja/value.h"

namespace fg::config::jinja {

Value Value::from_json(const nlohmann::json& j) {
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
      std::vector<Value> items;
      for (const auto& e : j) items.push_back(from_json(e));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      ValueMap m;
      for (auto it = j.begin(); it != j.end(); ++it) m.set(it.key(), from_json(it.value()));
      return Value::dict(std::move(m));
    }
    default:
      fail("cannot convert JSON value of type " + std::string(j.type_name()));
  }
}

nlohmann::json Value::to_json() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return nullptr;
    case Kind::None:
      return nullptr;
    case Kind::Bool:
      return as_bool();
    case Kind::Int:
      return i_;
    case Kind::Float:
      return f_;
    case Kind::String:
      return *s_;
    case Kind::List:
    case Kind::Tuple: {
      auto arr = nlohmann::json::array();
      for (const auto& v : *seq_) arr.push_back(v.to_json());
      return arr;
    }
    case Kind::Dict:
    case Kind::Namespace: {
      auto obj = nlohmann::json::object();
      for (const auto& [k, v] : *map_) obj[k.str()] = v.to_json();
      return obj;
    }
    default:
      return repr();
  }
}

}  // namespace fg::config::jinja
