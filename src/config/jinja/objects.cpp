// The Python object protocol the templates see: attribute/item access, slicing, calls,
// iteration, membership. Sandbox rule: `_`-prefixed attributes are never reachable.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "config/jinja/budget.h"
#include "config/jinja/builtins.h"
#include "config/jinja/error.h"
#include "config/jinja/methods.h"
#include "config/jinja/utf8.h"

namespace fg::config::jinja {

std::string object_type_repr(const Value& v) {
  if (v.is_none()) return "None";
  std::string t = v.kind() == Kind::Namespace ? "jinja2.utils.Namespace"
                  : v.kind() == Kind::Object  ? v.type_name()
                                              : v.python_type();
  return t + " object";
}

namespace {
Value missing_attr(const Value& obj, const std::string& name) {
  return Value::undefined("'" + object_type_repr(obj) + "' has no attribute '" + name + "'");
}
Value missing_item(const Value& obj, const Value& key) {
  if (key.is_string()) return missing_attr(obj, key.as_string());
  return Value::undefined(object_type_repr(obj) + " has no element " + key.repr());
}
}  // namespace

// range() and dict views are Objects whose items live in "__iter__"; range also indexes.
const Value* view_items(const Value& v, bool need_index) {
  if (v.kind() != Kind::Object) return nullptr;
  if (need_index && !v.map().find("__getitem__")) return nullptr;
  return v.map().find("__iter__");
}

Value make_view(std::vector<Value> items, std::string type, std::string repr, bool indexable) {
  ValueMap m;
  m.set("__iter__", Value::list(std::move(items)));
  if (!repr.empty()) m.set("__repr__", Value(std::move(repr)));
  if (indexable) m.set("__getitem__", Value(true));
  return Value::object(std::move(m), std::move(type));
}

Value get_attr(const Value& obj, const std::string& name) {
  obj.require_defined();
  if (!name.empty() && name[0] == '_' && !obj.is_mapping() && obj.kind() != Kind::Namespace) {
    throw TemplateError("access to attribute '" + name + "' of '" + obj.python_type() +
                        "' object is unsafe.");
  }
  switch (obj.kind()) {
    case Kind::Dict: {
      Value m = dict_method(obj, name);
      if (!m.is_undefined()) return m;
      const Value* v = obj.map().find(name);
      return v ? *v : missing_attr(obj, name);
    }
    case Kind::Namespace:
    case Kind::Object: {
      const Value* v = obj.map().find(name);
      return v ? *v : missing_attr(obj, name);
    }
    case Kind::String: {
      Value m = string_method(obj, name);
      return m.is_undefined() ? missing_attr(obj, name) : m;
    }
    case Kind::List:
    case Kind::Tuple: {
      Value m = list_method(obj, name);
      return m.is_undefined() ? missing_attr(obj, name) : m;
    }
    case Kind::Int:
    case Kind::Float:
    case Kind::Bool:
      if (name == "real") return obj;
      if (name == "imag") return Value(0);
      return missing_attr(obj, name);
    default:
      return missing_attr(obj, name);
  }
}

namespace {
int64_t normalize_index(int64_t i, int64_t n) {
  return i < 0 ? i + n : i;
}
}  // namespace

Value get_item(const Value& obj, const Value& key) {
  obj.require_defined();
  key.require_defined();
  switch (obj.kind()) {
    case Kind::Dict: {
      const Value* v = obj.map().find(key);
      if (v) return *v;
      if (key.is_string()) {
        Value m = dict_method(obj, key.as_string());
        if (!m.is_undefined()) return m;
      }
      return missing_item(obj, key);
    }
    case Kind::Namespace:
    case Kind::Object:
      if (key.is_string()) return get_attr(obj, key.as_string());
      if (const Value* items = view_items(obj, true)) return get_item(*items, key);
      return missing_item(obj, key);
    case Kind::List:
    case Kind::Tuple:
    case Kind::String: {
      if (!key.is_int() && !key.is_bool()) {
        if (key.is_string()) return get_attr(obj, key.as_string());
        return missing_item(obj, key);
      }
      int64_t n = length(obj);
      int64_t i = normalize_index(key.as_int(), n);
      if (i < 0 || i >= n) return missing_item(obj, key);
      if (obj.is_string()) {
        if (utf8::is_ascii(obj.as_string()))
          return Value(obj.as_string().substr(static_cast<size_t>(i), 1));
        const std::vector<uint32_t> cps = utf8::decode(obj.as_string());
        std::string out;
        if (static_cast<size_t>(i) < cps.size()) utf8::append(out, cps[static_cast<size_t>(i)]);
        return Value(out);
      }
      return obj.items()[static_cast<size_t>(i)];
    }
    default:
      return missing_item(obj, key);
  }
}

namespace {
// A slice bound: None, or an int (bools count); Python raises for anything else.
bool slice_index(const Value& v, int64_t& out) {
  if (v.is_none()) return false;
  v.require_defined();
  if (!v.is_int() && !v.is_bool())
    throw TemplateError("slice indices must be integers or None or have an __index__ method");
  out = v.as_int();
  return true;
}
}  // namespace

// CPython's PySlice_AdjustIndices: bounds clamped into the sequence, then the element count
// computed without stepping past the end, so no step or bound can overflow.
std::vector<int64_t> slice_indices(int64_t n, const Value& start, const Value& stop,
                                   const Value& step) {
  int64_t st = 1;
  slice_index(step, st);
  if (st == 0) throw TemplateError("slice step cannot be zero");
  auto clamp = [&](const Value& v, int64_t dflt) -> int64_t {
    int64_t i = 0;
    if (!slice_index(v, i)) return dflt;
    if (i < 0) i = i < -n ? (st > 0 ? 0 : -1) : i + n;
    if (st > 0) return std::min(i, n);
    return std::min(i, n - 1);
  };
  const int64_t b = clamp(start, st > 0 ? 0 : n - 1);
  const int64_t e = clamp(stop, st > 0 ? n : -1);
  int64_t count = 0;
  if (st > 0 && b < e) {
    count = (e - b - 1) / st + 1;
  } else if (st < 0 && e < b) {
    const uint64_t span = static_cast<uint64_t>(b - e - 1);
    const uint64_t mag = st == INT64_MIN ? uint64_t{1} << 63 : static_cast<uint64_t>(-st);
    count = static_cast<int64_t>(span / mag + 1);
  }
  std::vector<int64_t> idx;
  idx.reserve(static_cast<size_t>(count));
  int64_t i = b;
  for (int64_t k = 0; k < count; ++k) {
    idx.push_back(i);
    if (k + 1 < count) i += st;  // stays inside [0, n) while elements remain
  }
  return idx;
}

Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  obj.require_defined();
  if (const Value* items = view_items(obj, true)) return slice(*items, start, stop, step);
  if (!obj.is_sequence() && !obj.is_string())
    throw TemplateError("'" + obj.python_type() + "' object is not subscriptable");
  const std::vector<int64_t> idx = slice_indices(length(obj), start, stop, step);
  if (obj.is_string()) {
    const std::string& s = obj.as_string();
    std::string out;
    if (utf8::is_ascii(s)) {
      out.reserve(idx.size());
      for (int64_t i : idx) out += s[static_cast<size_t>(i)];
    } else {
      std::vector<uint32_t> cps = utf8::decode(s);
      for (int64_t i : idx)
        if (static_cast<size_t>(i) < cps.size()) utf8::append(out, cps[static_cast<size_t>(i)]);
    }
    return Value(out);
  }
  std::vector<Value> items;
  items.reserve(idx.size());
  for (int64_t i : idx) items.push_back(obj.items()[static_cast<size_t>(i)]);
  return obj.kind() == Kind::Tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

void check_no_undefined(const Args& a) {
  for (const auto& v : a.pos) v.require_defined();
  for (const auto& [k, v] : a.kw) v.require_defined();
}

Value call_value(const Value& fn, Args& args) {
  fn.require_defined();
  if (fn.kind() == Kind::Object) {
    if (const Value* call = fn.map().find("__call__")) return call_value(*call, args);
  }
  if (!fn.is_callable()) throw TemplateError("'" + fn.python_type() + "' object is not callable");
  const Function& f = fn.fn();
  if (!f.accepts_undefined) check_no_undefined(args);
  if (f.method) return f.method(f.self, args);
  if (!f.fn) throw TemplateError("'" + f.name + "' can no longer be called: its render has ended");
  return f.fn(args);
}

std::vector<Value> iterate(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      v.require_defined();
      return {};
    case Kind::List:
    case Kind::Tuple:
      return v.items();
    case Kind::Dict: {
      std::vector<Value> keys;
      for (const auto& [k, x] : v.map()) keys.push_back(k);
      return keys;
    }
    case Kind::String: {
      std::vector<Value> chars;
      const std::string& s = v.as_string();
      // Each character becomes a one-character string value.
      reserve_memory(size_mul(static_cast<int64_t>(s.size()), 2 * sizeof(Value) + 96),
                     "iterating a string");
      chars.reserve(s.size());
      for (size_t i = 0; i < s.size();) {
        size_t len = 1;
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0)
          len = 4;
        else if (c >= 0xE0)
          len = 3;
        else if (c >= 0xC0)
          len = 2;
        chars.emplace_back(s.substr(i, len));
        i += len;
      }
      return chars;
    }
    case Kind::Object:
      if (const Value* items = v.map().find("__iter__")) return items->items();
      throw TemplateError("'" + v.python_type() + "' object is not iterable");
    default:
      throw TemplateError("'" + v.python_type() + "' object is not iterable");
  }
}

int64_t length(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
      v.require_defined();
      return 0;
    case Kind::String:
      return utf8::length(v.as_string());
    case Kind::List:
    case Kind::Tuple:
      return static_cast<int64_t>(v.items().size());
    case Kind::Dict:
      return static_cast<int64_t>(v.map().size());
    default:
      if (const Value* items = view_items(v)) return static_cast<int64_t>(items->items().size());
      throw TemplateError("object of type '" + v.python_type() + "' has no len()");
  }
}

bool contains(const Value& container, const Value& item) {
  container.require_defined();
  item.require_defined();
  switch (container.kind()) {
    case Kind::String:
      if (!item.is_string())
        throw TemplateError("'in <string>' requires string as left operand, not " +
                            item.python_type());
      return str_find(container.as_string(), item.as_string()) != std::string::npos;
    case Kind::List:
    case Kind::Tuple:
      for (const auto& x : container.items())
        if (values_equal(x, item)) return true;
      return false;
    case Kind::Dict:
      return container.map().find(item) != nullptr;
    case Kind::Object:
      if (const Value* items = view_items(container)) return contains(*items, item);
      [[fallthrough]];
    default:
      throw TemplateError("argument of type '" + container.python_type() + "' is not iterable");
  }
}

Value arg(Args& a, size_t index, const char* name, Value dflt) {
  if (index < a.pos.size()) return a.pos[index];
  for (const auto& [k, v] : a.kw)
    if (k == name) return v;
  return dflt;
}

Value kwarg(Args& a, const char* name, Value dflt) {
  for (const auto& [k, v] : a.kw)
    if (k == name) return v;
  return dflt;
}

bool has_arg(Args& a, size_t index, const char* name) {
  if (index < a.pos.size()) return true;
  for (const auto& [k, v] : a.kw)
    if (k == name) return true;
  return false;
}

}  // namespace fg::config::jinja
