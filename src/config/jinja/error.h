#pragma once
// Template errors. Library code throws TemplateError without a location; the evaluator and
// parser attach the template file and line before it leaves the engine.
#include <string>

#include "core/error.h"

namespace fg::config::jinja {

class TemplateError : public fg::ConfigError {
 public:
  explicit TemplateError(const std::string& message, SourceLocation where = {})
      : fg::ConfigError("[jinja] " + message, std::move(where)), jinja_message_(message) {}
  // The message without location, e.g. "'x' is undefined".
  const std::string& jinja_message() const { return jinja_message_; }
  bool located() const { return where().line > 0; }

 private:
  std::string jinja_message_;
};

// Raised when an undefined value is printed, iterated, compared, called or passed.
class UndefinedError : public TemplateError {
 public:
  using TemplateError::TemplateError;
};

[[noreturn]] inline void fail(const std::string& message) {
  throw TemplateError(message);
}

}  // namespace fg::config::jinja
