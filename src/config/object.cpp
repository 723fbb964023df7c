#include "config/object.h"

#include <fmt/format.h>

#include "config/call_args.h"

namespace fg::config {

Object Object::boolean(bool v) {
  Object o;
  o.type_ = Type::kBool;
  o.b_ = v;
  return o;
}
Object Object::integer(int64_t v) {
  Object o;
  o.type_ = Type::kInt;
  o.i_ = v;
  return o;
}
Object Object::real(double v) {
  Object o;
  o.type_ = Type::kDouble;
  o.d_ = v;
  return o;
}
Object Object::string(std::string v) {
  Object o;
  o.type_ = Type::kString;
  o.s_ = std::make_shared<const std::string>(std::move(v));
  return o;
}
Object Object::list(ObjectList items, bool is_tuple) {
  Object o;
  o.type_ = Type::kList;
  o.is_tuple_ = is_tuple;
  o.list_ = std::make_shared<ObjectList>(std::move(items));
  return o;
}
Object Object::dict(ObjectDict items) {
  Object o;
  o.type_ = Type::kDict;
  o.dict_ = std::make_shared<ObjectDict>(std::move(items));
  return o;
}
Object Object::callable(Callable fn, std::string name) {
  Object o;
  o.type_ = Type::kCallable;
  o.fn_ = std::make_shared<Callable>(std::move(fn));
  o.type_name_ = std::move(name);
  return o;
}

std::string Object::type_name() const {
  switch (type_) {
    case Type::kNone:
      return "none";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kDouble:
      return "float";
    case Type::kString:
      return "string";
    case Type::kList:
      return is_tuple_ ? "tuple" : "list";
    case Type::kDict:
      return "dict";
    case Type::kCallable:
      return "callable";
    case Type::kComponent:
      return type_name_;
  }
  return "?";
}

Object& Object::at(SourceLocation where, std::string key_path) {
  where_ = std::move(where);
  key_path_ = std::move(key_path);
  return *this;
}

void Object::fail_expected(const std::string& expected) const {
  std::string found = type_name();
  if (type_ == Type::kString) found += " '" + *s_ + "'";
  throw ConfigError("[Config] expected " + expected + ", found " + found, where_, key_path_);
}

bool Object::as_bool() const {
  if (type_ != Type::kBool) fail_expected("bool");
  return b_;
}
int64_t Object::as_int() const {
  if (type_ != Type::kInt) fail_expected("int");
  return i_;
}
double Object::as_double() const {
  if (type_ == Type::kInt) return static_cast<double>(i_);
  if (type_ != Type::kDouble) fail_expected("float");
  return d_;
}
const std::string& Object::as_string() const {
  if (type_ != Type::kString) fail_expected("string");
  return *s_;
}
const ObjectList& Object::as_list() const {
  if (type_ != Type::kList) fail_expected("list");
  return *list_;
}
const ObjectDict& Object::as_dict() const {
  if (type_ != Type::kDict) fail_expected("dict");
  return *dict_;
}
const Object* Object::find(const std::string& key) const {
  for (const auto& [k, v] : as_dict())
    if (k == key) return &v;
  return nullptr;
}
Object Object::call(CallArgs& args) const {
  if (type_ != Type::kCallable) fail_expected("callable");
  return (*fn_)(args);
}

bool Object::same_as(const Object& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kNone:
      return true;
    case Type::kBool:
      return b_ == o.b_;
    case Type::kInt:
      return i_ == o.i_;
    case Type::kDouble:
      return d_ == o.d_;
    case Type::kString:
      return *s_ == *o.s_;
    case Type::kList:
      return list_ == o.list_;
    case Type::kDict:
      return dict_ == o.dict_;
    case Type::kCallable:
      return fn_ == o.fn_;
    case Type::kComponent:
      return component_ == o.component_;
  }
  return false;
}

namespace {
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}
}  // namespace

std::string Object::repr() const {
  switch (type_) {
    case Type::kNone:
      return "None";
    case Type::kBool:
      return b_ ? "True" : "False";
    case Type::kInt:
      return std::to_string(i_);
    case Type::kDouble:
      return fmt::format("{}", d_);
    case Type::kString:
      return quote(*s_);
    case Type::kList: {
      std::string s = is_tuple_ ? "(" : "[";
      for (size_t i = 0; i < list_->size(); ++i) s += (i ? ", " : "") + (*list_)[i].repr();
      if (is_tuple_ && list_->size() == 1) s += ",";
      return s + (is_tuple_ ? ")" : "]");
    }
    case Type::kDict: {
      std::string s = "{";
      for (size_t i = 0; i < dict_->size(); ++i)
        s += (i ? ", " : "") + quote((*dict_)[i].first) + ": " + (*dict_)[i].second.repr();
      return s + "}";
    }
    case Type::kCallable:
      return "<callable " + type_name_ + ">";
    case Type::kComponent:
      return "<" + type_name_ + ">";
  }
  return "?";
}

}  // namespace fg::config
