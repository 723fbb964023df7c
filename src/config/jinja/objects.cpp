// The Python object protocol the templates see: attribute/item access, slicing, calls,
// iteration, membership. Sandbox rule: `_`-prefixed attributes are never reachable.
#include <cmath>

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
        std::string out;
        utf8::append(out, utf8::decode(obj.as_string())[static_cast<size_t>(i)]);
        return Value(out);
      }
      return obj.items()[static_cast<size_t>(i)];
    }
    default:
      return missing_item(obj, key);
  }
}

Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  obj.require_defined();
  if (!obj.is_sequence() && !obj.is_string())
    throw TemplateError("'" + obj.python_type() + "' object is not subscriptable");
  int64_t n = length(obj);
  int64_t st = step.is_none() ? 1 : step.as_int();
  if (st == 0) throw TemplateError("slice step cannot be zero");
  auto clamp = [&](const Value& v, int64_t dflt) -> int64_t {
    if (v.is_none()) return dflt;
    v.require_defined();
    int64_t i = v.as_int();
    if (i < 0) i += n;
    if (st > 0) return std::max<int64_t>(0, std::min(i, n));
    return std::max<int64_t>(-1, std::min(i, n - 1));
  };
  int64_t b = clamp(start, st > 0 ? 0 : n - 1);
  int64_t e = clamp(stop, st > 0 ? n : -1);
  std::vector<int64_t> idx;
  for (int64_t i = b; st > 0 ? i < e : i > e; i += st) idx.push_back(i);
  if (obj.is_string()) {
    std::vector<uint32_t> cps = utf8::decode(obj.as_string());
    std::string out;
    for (int64_t i : idx) utf8::append(out, cps[static_cast<size_t>(i)]);
    return Value(out);
  }
  std::vector<Value> items;
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
  if (!fn.fn().accepts_undefined) check_no_undefined(args);
  return fn.fn().fn(args);
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
    case Kind::String: {
      int64_t n = 0;
      for (unsigned char c : v.as_string()) n += (c & 0xC0) != 0x80;
      return n;
    }
    case Kind::List:
    case Kind::Tuple:
      return static_cast<int64_t>(v.items().size());
    case Kind::Dict:
      return static_cast<int64_t>(v.map().size());
    default:
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
      return container.as_string().find(item.as_string()) != std::string::npos;
    case Kind::List:
    case Kind::Tuple:
      for (const auto& x : container.items())
        if (values_equal(x, item)) return true;
      return false;
    case Kind::Dict:
      return container.map().find(item) != nullptr;
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

bool has_arg(Args& a, size_t index, const char* name) {
  if (index < a.pos.size()) return true;
  for (const auto& [k, v] : a.kw)
    if (k == name) return true;
  return false;
}

}  // namespace fg::config::jinja
