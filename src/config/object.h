#pragma once
// The materialised value type: what builders receive and return. A tagged union of none, bool,
// int, double, string, list, dict, callable and opaque component (shared_ptr<void> + type).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <typeindex>
#include <utility>
#include <vector>

#include "core/error.h"

namespace fg::config {

class Object;
class CallArgs;
using ObjectList = std::vector<Object>;
using ObjectDict = std::vector<std::pair<std::string, Object>>;  // ordered
using Callable = std::function<Object(CallArgs&)>;

// A component that can print its structure (the `model` command uses it): one line per module
// with parameter counts. Builders return components that implement it when they can.
class Describable {
 public:
  virtual ~Describable() = default;
  virtual std::string describe() const = 0;
  virtual int64_t parameter_count() const = 0;
};

// A component whose named attributes configs may read (`!singleton:getattr [*tokenizer, eos_id]`).
class HasAttributes {
 public:
  virtual ~HasAttributes() = default;
  virtual bool attribute(const std::string& name, Object* out) const = 0;
  virtual std::vector<std::string> attribute_names() const = 0;
};

class Object {
 public:
  enum class Type { kNone, kBool, kInt, kDouble, kString, kList, kDict, kCallable, kComponent };

  Object() = default;
  static Object none() { return {}; }
  static Object boolean(bool v);
  static Object integer(int64_t v);
  static Object real(double v);
  static Object string(std::string v);
  static Object list(ObjectList items, bool is_tuple = false);
  static Object dict(ObjectDict items);
  static Object callable(Callable fn, std::string name);
  // An opaque component. `type_name` is what errors print ("nn.Module", "Tokenizer").
  template <class T>
  static Object component(std::shared_ptr<T> value, std::string type_name) {
    Object o;
    o.type_ = Type::kComponent;
    o.type_name_ = std::move(type_name);
    o.component_type_ = std::type_index(typeid(T));
    if constexpr (std::is_base_of_v<Describable, T>) o.describable_ = value;
    if constexpr (std::is_base_of_v<HasAttributes, T>) o.attributes_ = value;
    o.component_ =
        std::static_pointer_cast<void>(std::const_pointer_cast<std::remove_const_t<T>>(value));
    return o;
  }

  Type type() const { return type_; }
  std::string type_name() const;  // "int", "string", "list", a component's type name ...
  bool is_none() const { return type_ == Type::kNone; }
  bool is_tuple() const { return is_tuple_; }

  // Typed accessors throw ConfigError "expected X, found Y" naming file:line:key (see origin).
  bool as_bool() const;
  int64_t as_int() const;
  double as_double() const;  // ints widen
  const std::string& as_string() const;
  const ObjectList& as_list() const;
  const ObjectDict& as_dict() const;
  const Object* find(const std::string& key) const;  // dict lookup, nullptr if absent
  Object call(CallArgs& args) const;
  const std::string& callable_name() const { return type_name_; }
  template <class T>
  std::shared_ptr<T> as(const std::string& expected) const {
    if (type_ != Type::kComponent || component_type_ != std::type_index(typeid(T)))
      fail_expected(expected);
    return std::static_pointer_cast<T>(component_);
  }
  std::shared_ptr<const Describable> describable() const { return describable_; }
  std::shared_ptr<const HasAttributes> attributes() const { return attributes_; }
  bool same_as(const Object& other) const;  // identity for containers/components, else value

  // Provenance: where the value came from in the config, for error messages.
  Object& at(SourceLocation where, std::string key_path);
  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  [[noreturn]] void fail_expected(const std::string& expected) const;

  std::string repr() const;  // Python-like: None, True, 3, 'x', [..], {..}, <Linear>

 private:
  Type type_ = Type::kNone;
  bool is_tuple_ = false;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0.0;
  std::shared_ptr<const std::string> s_;
  std::shared_ptr<ObjectList> list_;
  std::shared_ptr<ObjectDict> dict_;
  std::shared_ptr<Callable> fn_;
  std::shared_ptr<void> component_;
  std::type_index component_type_ = std::type_index(typeid(void));
  std::shared_ptr<const Describable> describable_;
  std::shared_ptr<const HasAttributes> attributes_;
  std::string type_name_;  // component type or callable name
  SourceLocation where_;
  std::string key_path_;
};

}  // namespace fg::config
