#include "config/jinja/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "config/jinja/error.h"

namespace fg::config::jinja {

namespace {
const std::string kDefaultUndefined = "undefined value";
}

Value::Value(std::string s)
    : kind_(Kind::String), s_(std::make_shared<const std::string>(std::move(s))) {}

Value Value::undefined(std::string message) {
  Value v;
  v.s_ = std::make_shared<const std::string>(std::move(message));
  return v;
}

Value Value::none() {
  Value v;
  v.kind_ = Kind::None;
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.seq_ = std::make_shared<std::vector<Value>>(std::move(items));
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = list(std::move(items));
  v.kind_ = Kind::Tuple;
  return v;
}

Value Value::dict(ValueMap m) {
  Value v;
  v.kind_ = Kind::Dict;
  v.map_ = std::make_shared<ValueMap>(std::move(m));
  return v;
}

Value Value::dict() {
  return dict(ValueMap{});
}

Value Value::namespace_(ValueMap m) {
  Value v = dict(std::move(m));
  v.kind_ = Kind::Namespace;
  return v;
}

Value Value::object(ValueMap m, std::string type_name) {
  Value v = dict(std::move(m));
  v.kind_ = Kind::Object;
  v.s_ = std::make_shared<const std::string>(std::move(type_name));
  return v;
}

Value Value::function(std::string name, NativeFn fn, bool accepts_undefined) {
  Value v;
  v.kind_ = Kind::Function;
  v.fn_ = std::make_shared<Function>(
      Function{std::move(name), std::move(fn), false, accepts_undefined});
  return v;
}

Value Value::macro(std::string name, NativeFn fn) {
  Value v = function(std::move(name), std::move(fn), true);
  v.fn_->is_macro = true;
  return v;
}

double Value::as_double() const {
  return kind_ == Kind::Float ? f_ : static_cast<double>(i_);
}

const std::string& Value::undefined_message() const {
  return s_ ? *s_ : kDefaultUndefined;
}

const std::string& Value::type_name() const {
  return s_ ? *s_ : kDefaultUndefined;
}

void Value::require_defined() const {
  if (kind_ == Kind::Undefined) throw UndefinedError(undefined_message());
}

bool Value::truthy() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return false;
    case Kind::None:
      return false;
    case Kind::Bool:
    case Kind::Int:
      return i_ != 0;
    case Kind::Float:
      return f_ != 0.0;
    case Kind::String:
      return !s_->empty();
    case Kind::List:
    case Kind::Tuple:
      return !seq_->empty();
    case Kind::Dict:
      return !map_->empty();
    default:
      return true;
  }
}

std::string Value::python_type() const {
  switch (kind_) {
    case Kind::Undefined:
      return "StrictUndefined";
    case Kind::None:
      return "NoneType";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "str";
    case Kind::List:
      return "list";
    case Kind::Tuple:
      return "tuple";
    case Kind::Dict:
      return "dict";
    case Kind::Namespace:
      return "Namespace";
    case Kind::Object:
      return type_name();
    case Kind::Function:
      return fn_->is_macro ? "Macro" : "function";
  }
  return "object";
}

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci = [-]D[.DDD]e[+-]XX ; split into sign, digits and decimal exponent.
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t epos = sci.find('e');
  int exp10 = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (size_t i = 0; i < epos; ++i)
    if (sci[i] != '.') digits += sci[i];
  int decpt = exp10 + 1;  // position of the decimal point relative to the digits
  std::string out;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out = "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= static_cast<int>(digits.size())) {
      out = digits + std::string(decpt - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    int e = decpt - 1;
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", e < 0 ? '-' : '+', std::abs(e));
    out += eb;
  }
  return neg ? "-" + out : out;
}

std::string string_repr(const std::string& s) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == static_cast<unsigned char>(q))
      out += std::string("\\") + q;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

namespace {
std::string join_repr(const std::vector<Value>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += ", ";
    s += items[i].repr();
  }
  return s;
}

std::string map_repr(const ValueMap& m) {
  std::string s = "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) s += ", ";
    first = false;
    s += k.repr() + ": " + v.repr();
  }
  return s + "}";
}
}  // namespace

std::string Value::str() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return "";
    case Kind::String:
      return *s_;
    case Kind::Object: {
      const Value* s = map_->find("__str__");  // objects that print like Python's str()
      return s ? s->str() : repr();
    }
    default:
      return repr();
  }
}

std::string Value::repr() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return "";
    case Kind::None:
      return "None";
    case Kind::Bool:
      return i_ ? "True" : "False";
    case Kind::Int:
      return std::to_string(i_);
    case Kind::Float:
      return float_repr(f_);
    case Kind::String:
      return string_repr(*s_);
    case Kind::List:
      return "[" + join_repr(*seq_) + "]";
    case Kind::Tuple:
      return "(" + join_repr(*seq_) + (seq_->size() == 1 ? ",)" : ")");
    case Kind::Dict:
      return map_repr(*map_);
    case Kind::Namespace:
      return "<Namespace " + map_repr(*map_) + ">";
    case Kind::Object: {
      const Value* r = map_->find("__repr__");
      return r ? r->str() : "<" + type_name() + " object>";
    }
    case Kind::Function:
      return fn_->is_macro ? "<Macro '" + fn_->name + "'>" : "<function " + fn_->name + ">";
  }
  return "";
}

std::string Value::hash_key() const {
  switch (kind_) {
    case Kind::Undefined:
      require_defined();
      return "";
    case Kind::None:
      return "N";
    case Kind::Bool:
    case Kind::Int:
      return "n" + std::to_string(i_);
    case Kind::Float:
      if (std::floor(f_) == f_ && std::fabs(f_) < 9.2e18)
        return "n" + std::to_string(static_cast<int64_t>(f_));
      return "f" + float_repr(f_);
    case Kind::String:
      return "s" + *s_;
    case Kind::Tuple: {
      std::string k = "t(";
      for (const auto& v : *seq_) k += v.hash_key() + "\x1f";
      return k + ")";
    }
    default:
      fail("unhashable type: '" + python_type() + "'");
  }
}

bool Value::same_as(const Value& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::None:
    case Kind::Undefined:
      return true;
    case Kind::Bool:
    case Kind::Int:
      return i_ == o.i_;
    case Kind::Float:
      return f_ == o.f_;
    case Kind::String:
      return s_ == o.s_ || *s_ == *o.s_;
    case Kind::List:
    case Kind::Tuple:
      return seq_ == o.seq_;
    case Kind::Function:
      return fn_ == o.fn_;
    default:
      return map_ == o.map_;
  }
}

bool values_equal(const Value& a, const Value& b) {
  a.require_defined();
  b.require_defined();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::None:
      return true;
    case Kind::String:
      return a.as_string() == b.as_string();
    case Kind::List:
    case Kind::Tuple: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!values_equal(x[i], y[i])) return false;
      return true;
    }
    case Kind::Dict: {
      if (a.map().size() != b.map().size()) return false;
      for (const auto& [k, v] : a.map()) {
        const Value* o = b.map().find(k);
        if (!o || !values_equal(v, *o)) return false;
      }
      return true;
    }
    default:
      return a.same_as(b);
  }
}

bool values_less(const Value& a, const Value& b) {
  a.require_defined();
  b.require_defined();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() < b.as_double();
    return a.as_int() < b.as_int();
  }
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if (a.is_sequence() && a.kind() == b.kind()) {
    const auto& x = a.items();
    const auto& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (values_equal(x[i], y[i])) continue;
      return values_less(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  fail("'<' not supported between instances of '" + a.python_type() + "' and '" + b.python_type() +
       "'");
}

ValueMap::ValueMap(std::initializer_list<std::pair<std::string, Value>> init) {
  for (const auto& [k, v] : init) set(k, v);
}

const Value* ValueMap::find(const Value& key) const {
  auto it = index_.find(key.hash_key());
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

const Value* ValueMap::find(const std::string& key) const {
  auto it = index_.find("s" + key);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

Value* ValueMap::find_mut(const Value& key) {
  auto it = index_.find(key.hash_key());
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void ValueMap::set(const Value& key, Value v) {
  auto [it, inserted] = index_.emplace(key.hash_key(), entries_.size());
  if (inserted) {
    entries_.emplace_back(key, std::move(v));
  } else {
    entries_[it->second].second = std::move(v);
  }
}

bool ValueMap::erase(const Value& key) {
  auto it = index_.find(key.hash_key());
  if (it == index_.end()) return false;
  size_t pos = it->second;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(pos));
  index_.erase(it);
  for (auto& [k, i] : index_)
    if (i > pos) --i;
  return true;
}

void ValueMap::clear() {
  entries_.clear();
  index_.clear();
}

}  // namespace fg::config::jinja
