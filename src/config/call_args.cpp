#include "config/call_args.h"

#include <algorithm>

#include "core/strings.h"

namespace fg::config {

CallArgs::CallArgs(ObjectList positional, ObjectDict keyword, std::string callee,
                   SourceLocation where, std::string key_path)
    : positional_(std::move(positional)),
      keyword_(std::move(keyword)),
      callee_(std::move(callee)),
      where_(std::move(where)),
      key_path_(std::move(key_path)) {}

void CallArgs::fail(const std::string& message) const {
  throw ConfigError("[" + callee_ + "] " + message, where_, key_path_);
}

const Object* CallArgs::get(const std::string& name, int64_t position) {
  known_names_.insert(name);
  const Object* by_name = nullptr;
  for (const auto& [k, v] : keyword_)
    if (k == name) by_name = &v;
  const bool by_pos = position >= 0 && static_cast<size_t>(position) < positional_.size();
  if (by_name && by_pos)
    fail("got multiple values for argument '" + name + "' (positional " + std::to_string(position) +
         " and keyword)");
  if (by_name) {
    used_keywords_.insert(name);
    return by_name;
  }
  if (by_pos) {
    positional_used_ = std::max(positional_used_, static_cast<size_t>(position) + 1);
    return &positional_[position];
  }
  return nullptr;
}

const Object& CallArgs::required(const std::string& name, int64_t position) {
  if (const Object* o = get(name, position)) return *o;
  fail("missing required argument '" + name + "'");
}

Object CallArgs::value(const std::string& name, int64_t position, Object fallback) {
  const Object* o = get(name, position);
  return o ? *o : std::move(fallback);
}
int64_t CallArgs::get_int(const std::string& name, int64_t position, int64_t fallback) {
  const Object* o = get(name, position);
  return o && !o->is_none() ? o->as_int() : fallback;
}
double CallArgs::get_double(const std::string& name, int64_t position, double fallback) {
  const Object* o = get(name, position);
  return o && !o->is_none() ? o->as_double() : fallback;
}
bool CallArgs::get_bool(const std::string& name, int64_t position, bool fallback) {
  const Object* o = get(name, position);
  return o && !o->is_none() ? o->as_bool() : fallback;
}
std::string CallArgs::get_string(const std::string& name, int64_t position, std::string fallback) {
  const Object* o = get(name, position);
  return o && !o->is_none() ? o->as_string() : std::move(fallback);
}

ObjectList CallArgs::rest_positional(size_t from) {
  ObjectList out;
  for (size_t i = from; i < positional_.size(); ++i) out.push_back(positional_[i]);
  positional_used_ = std::max(positional_used_, positional_.size());
  return out;
}

ObjectDict CallArgs::rest_keywords() {
  ObjectDict out;
  for (const auto& [k, v] : keyword_)
    if (used_keywords_.insert(k).second) out.emplace_back(k, v);
  return out;
}

void CallArgs::finish() const {
  if (positional_used_ < positional_.size())
    fail("takes " + std::to_string(positional_used_) + " positional argument(s), found " +
         std::to_string(positional_.size()));
  std::vector<std::string> known(known_names_.begin(), known_names_.end());
  for (const auto& [k, v] : keyword_)
    if (!used_keywords_.count(k))
      fail("unknown keyword argument '" + k + "'" + did_you_mean(k, known) +
           (known.empty() ? "" : "; accepted: " + join(known, ", ")));
}

}  // namespace fg::config
