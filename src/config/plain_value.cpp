#include "config/plain_value.h"

namespace fg::config {

Object plain_object(const NodePtr& node) {
  if (!node) return Object::none();
  Object o;
  switch (node->kind) {
    case NodeKind::kNull:
      break;
    case NodeKind::kBool:
      o = Object::boolean(node->b);
      break;
    case NodeKind::kInt:
      o = Object::integer(node->i);
      break;
    case NodeKind::kFloat:
      o = Object::real(node->f);
      break;
    case NodeKind::kString:
      o = Object::string(node->s);
      break;
    case NodeKind::kList:
    case NodeKind::kTuple: {
      ObjectList items;
      for (const auto& i : node->items) items.push_back(plain_object(i));
      o = Object::list(std::move(items), node->kind == NodeKind::kTuple);
      break;
    }
    case NodeKind::kMap: {
      ObjectDict d;
      for (const auto& [k, v] : node->entries) d.emplace_back(k, plain_object(v));
      o = Object::dict(std::move(d));
      break;
    }
    case NodeKind::kCallable:
      if (node->container == "dict") {
        ObjectDict d;
        for (const auto& [k, v] : node->kwargs) d.emplace_back(k, plain_object(v));
        o = Object::dict(std::move(d));
      } else if (!node->container.empty()) {
        ObjectList items;
        for (const auto& i : node->args) items.push_back(plain_object(i));
        o = Object::list(std::move(items));
      } else {
        o = Object::string(node->tag);
      }
      break;
    case NodeKind::kVar:
      return node->has_default ? plain_object(node->var_default) : Object();
  }
  return o.at(node->where, node->key_path);
}

nlohmann::json object_to_json(const Object& o) {
  switch (o.type()) {
    case Object::Type::kNone:
      return nullptr;
    case Object::Type::kBool:
      return o.as_bool();
    case Object::Type::kInt:
      return o.as_int();
    case Object::Type::kDouble:
      return o.as_double();
    case Object::Type::kString:
      return o.as_string();
    case Object::Type::kList: {
      auto j = nlohmann::json::array();
      for (const auto& i : o.as_list()) j.push_back(object_to_json(i));
      return j;
    }
    case Object::Type::kDict: {
      auto j = nlohmann::json::object();
      for (const auto& [k, v] : o.as_dict()) j[k] = object_to_json(v);
      return j;
    }
    default:
      return o.repr();
  }
}

Object json_to_object(const nlohmann::json& j) {
  if (j.is_null()) return Object::none();
  if (j.is_boolean()) return Object::boolean(j.get<bool>());
  if (j.is_number_integer()) return Object::integer(j.get<int64_t>());
  if (j.is_number()) return Object::real(j.get<double>());
  if (j.is_string()) return Object::string(j.get<std::string>());
  if (j.is_array()) {
    ObjectList l;
    for (const auto& i : j) l.push_back(json_to_object(i));
    return Object::list(std::move(l));
  }
  ObjectDict d;
  for (auto it = j.begin(); it != j.end(); ++it) d.emplace_back(it.key(), json_to_object(*it));
  return Object::dict(std::move(d));
}

}  // namespace fg::config
