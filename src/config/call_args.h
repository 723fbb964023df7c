#pragma once
// Arguments of one call: what a builder reads. Positional and keyword args with defaults;
// finish() reports unconsumed arguments ("unknown keyword argument 'lr' (did you mean ...)").
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "config/object.h"

namespace fg::config {

class CallArgs {
 public:
  CallArgs() = default;
  CallArgs(ObjectList positional, ObjectDict keyword, std::string callee = {},
           SourceLocation where = {}, std::string key_path = {});

  const ObjectList& positional() const { return positional_; }
  const ObjectDict& keyword() const { return keyword_; }
  ObjectList& positional() { return positional_; }
  ObjectDict& keyword() { return keyword_; }
  const std::string& callee() const { return callee_; }
  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }

  // The argument named `name` or at `position` (-1: keyword only); nullptr when absent.
  const Object* get(const std::string& name, int64_t position = -1);
  const Object& required(const std::string& name, int64_t position = -1);
  Object value(const std::string& name, int64_t position, Object fallback);
  int64_t get_int(const std::string& name, int64_t position, int64_t fallback);
  double get_double(const std::string& name, int64_t position, double fallback);
  bool get_bool(const std::string& name, int64_t position, bool fallback);
  std::string get_string(const std::string& name, int64_t position, std::string fallback);

  // Everything from positional index `from` on / all keywords not read yet (marks them read).
  ObjectList rest_positional(size_t from);
  ObjectDict rest_keywords();

  // Throws ConfigError for positional args beyond those read and unknown keyword args.
  void finish() const;
  [[noreturn]] void fail(const std::string& message) const;

 private:
  ObjectList positional_;
  ObjectDict keyword_;
  std::string callee_;
  SourceLocation where_;
  std::string key_path_;
  std::set<std::string> known_names_;  // names builders asked for, for "did you mean"
  std::set<std::string> used_keywords_;
  size_t positional_used_ = 0;
};

}  // namespace fg::config
