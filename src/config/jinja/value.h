#pragma once
// Value: the dynamic value of the template engine, modelled on the Python objects Jinja2 sees.
// Containers (list, dict, namespace) are shared by reference like Python objects; strings and
// scalars are immutable. Undefined carries the message it raises when used.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace fg::config::jinja {

class Value;
class ValueMap;

// Call arguments: positional then keyword (in call order).
struct Args {
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;
};

using NativeFn = std::function<Value(Args&)>;
// A method of a built-in type, bound to its receiver (`l.append`): the receiver is held by the
// Function, where cycle collection can see it, rather than hidden in a closure.
using BoundMethod = Value (*)(const Value& self, Args& a);
struct Function;
class WeakValue;

enum class Kind {
  Undefined,
  None,
  Bool,
  Int,
  Float,
  String,
  List,
  Tuple,
  Dict,
  Namespace,
  Object,
  Function
};

class Value {
 public:
  Value() = default;  // undefined, with the generic message
  Value(bool b) : kind_(Kind::Bool), i_(b ? 1 : 0) {}
  Value(int v) : kind_(Kind::Int), i_(v) {}
  Value(int64_t v) : kind_(Kind::Int), i_(v) {}
  Value(double v) : kind_(Kind::Float), f_(v) {}
  Value(std::string s);
  Value(const char* s) : Value(std::string(s)) {}

  static Value undefined(std::string message);
  static Value none();
  static Value list(std::vector<Value> items = {});
  static Value tuple(std::vector<Value> items);
  static Value dict(ValueMap m);
  static Value dict();
  static Value namespace_(ValueMap m);
  static Value object(ValueMap m, std::string type_name);  // read-only attribute bag
  static Value function(std::string name, NativeFn fn, bool accepts_undefined = false);
  static Value macro(std::string name, NativeFn fn);
  static Value bound_method(std::string name, Value self, BoundMethod method);

  static Value from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::Undefined; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_float() const { return kind_ == Kind::Float; }
  bool is_number() const {
    return kind_ == Kind::Int || kind_ == Kind::Float || kind_ == Kind::Bool;
  }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }
  bool is_mapping() const { return kind_ == Kind::Dict; }
  bool is_attr_bag() const { return kind_ == Kind::Namespace || kind_ == Kind::Object; }
  bool is_callable() const { return kind_ == Kind::Function; }

  bool as_bool() const { return i_ != 0; }
  int64_t as_int() const { return i_; }                 // Int or Bool
  double as_double() const;                             // any number
  const std::string& as_string() const { return *s_; }  // String
  const std::string& undefined_message() const;         // Undefined
  std::vector<Value>& items() const { return *seq_; }   // List or Tuple
  ValueMap& map() const { return *map_; }               // Dict, Namespace, Object
  const Function& fn() const { return *fn_; }
  const std::string& type_name() const;  // Object: e.g. "LoopContext"

  // Raises the UndefinedError carried by an undefined value; no-op otherwise.
  void require_defined() const;

  // Python semantics.
  bool truthy() const;                 // bool(x); raises on undefined
  std::string str() const;             // str(x)
  std::string repr() const;            // repr(x)
  std::string python_type() const;     // "int", "str", "dict", ...
  std::string hash_key() const;        // equal for ==-equal hashable values
  bool same_as(const Value& o) const;  // Python `is`

  // The shared storage of a list/tuple/dict/namespace/object/function (null for scalars):
  // Python's id() for containers, used to detect self-reference.
  const void* identity() const;
  // Charges the render budget for a container that grew in place (append, update, ...).
  void account_growth() const;

 private:
  friend class WeakValue;
  friend void break_cycles(std::vector<WeakValue> candidates);
  friend class ReprWriter;
  Kind kind_ = Kind::Undefined;
  int64_t i_ = 0;
  double f_ = 0.0;
  std::shared_ptr<const std::string> s_;  // string, or undefined message
  std::shared_ptr<std::vector<Value>> seq_;
  std::shared_ptr<ValueMap> map_;
  std::shared_ptr<Function> fn_;
};

struct Function {
  std::string name;
  NativeFn fn;
  bool is_macro = false;
  bool accepts_undefined = false;  // macros receive undefined arguments; natives raise on them
  BoundMethod method = nullptr;    // set for bound methods: called as method(self, args)
  Value self;
};

// A reference to a container that does not keep it alive (render-end cycle collection).
class WeakValue {
 public:
  explicit WeakValue(const Value& v);
  Value lock() const;  // undefined when the container is gone
  bool expired() const;

 private:
  Kind kind_;
  std::shared_ptr<const std::string> s_;
  std::weak_ptr<std::vector<Value>> seq_;
  std::weak_ptr<ValueMap> map_;
  std::weak_ptr<Function> fn_;
};

// Clears the containers among `candidates` (and what they reach) that only reference cycles
// keep alive, as Python's cycle collector would free them. Called when a render ends.
void break_cycles(std::vector<WeakValue> candidates);

// Insertion-ordered map with Python dict key semantics (1 == 1.0 == True).
class ValueMap {
 public:
  using Entry = std::pair<Value, Value>;
  ValueMap() = default;
  ValueMap(std::initializer_list<std::pair<std::string, Value>> init);

  const Value* find(const Value& key) const;
  const Value* find(const std::string& key) const;
  Value* find_mut(const Value& key);
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  void set(const Value& key, Value v);
  void set(const std::string& key, Value v) { set(Value(key), std::move(v)); }
  void set(const char* key, Value v) { set(Value(key), std::move(v)); }
  const Value* find(const char* key) const { return find(std::string(key)); }
  bool erase(const Value& key);
  void clear();
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;
};

// Python equality (numeric cross-type, deep for containers); raises on undefined.
bool values_equal(const Value& a, const Value& b);
// Python ordering a < b; raises TypeError-like errors for unorderable types.
bool values_less(const Value& a, const Value& b);
// repr() as pprint writes it: a container inside itself is "<Recursion on list with id=N>".
std::string pprint_repr(const Value& v);
// Python repr of a float ("0.1", "1e-05", "3.0").
std::string float_repr(double d);
// Python repr of a string (quotes chosen like Python).
std::string string_repr(const std::string& s);

}  // namespace fg::config::jinja
