#include "config/jinja/builtins.h"

#include "config/jinja/budget.h"
#include "config/jinja/error.h"

namespace fg::config::jinja {

Builtins::Builtins() {
  register_filters(*this);
  register_collection_filters(*this);
  register_tests(*this);
}

void Builtins::add_filter(const std::string& name, FilterFn fn, bool accepts_undefined) {
  filters_[name] = std::move(fn);
  if (accepts_undefined) lenient_filters_.insert(name);
}

void Builtins::add_test(const std::string& name, TestFn fn, bool accepts_undefined) {
  tests_[name] = std::move(fn);
  if (accepts_undefined) lenient_tests_.insert(name);
}

Value Builtins::filter(const std::string& name, const Value& v, Args& args) const {
  auto it = filters_.find(name);
  if (it == filters_.end()) throw TemplateError("No filter named '" + name + "'.");
  NestGuard nest;  // map('map', 'map', ...) nests filters without nesting the template
  if (!lenient_filters_.count(name)) {
    v.require_defined();
    check_no_undefined(args);
  }
  return it->second(*this, v, args);
}

bool Builtins::test(const std::string& name, const Value& v, Args& args) const {
  auto it = tests_.find(name);
  if (it == tests_.end()) throw TemplateError("No test named '" + name + "'.");
  NestGuard nest;
  if (!lenient_tests_.count(name)) {
    v.require_defined();
    check_no_undefined(args);
  }
  return it->second(*this, v, args);
}

}  // namespace fg::config::jinja
