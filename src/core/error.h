#pragma once
// Error types. Every failure the product reports is an fg::Error; only cli/main.cpp turns
// them into exit codes. Messages start with "[op]" or "[Component]".
#include <cstdint>
#include <stdexcept>
#include <string>

namespace fg {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Where in a source file something came from. line/column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;

  bool known() const { return !file.empty(); }
  std::string to_string() const;  // "file:line:col", "file:line", "file" or "<unknown>"
};

// A configuration error: names the template file and line and the dotted key path.
class ConfigError : public Error {
 public:
  ConfigError(const std::string& message, SourceLocation where = {}, std::string key_path = {});

  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& bare_message() const { return bare_message_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string bare_message_;
};

// Errors reading or writing files (I/O, corrupt or hostile data).
class IoError : public Error {
 public:
  using Error::Error;
};

// A shape, dtype or argument error in a tensor op.
class ShapeError : public Error {
 public:
  using Error::Error;
};

// Raised when a run is interrupted (SIGINT/SIGTERM) after state was saved.
class Interrupted : public Error {
 public:
  using Error::Error;
};

}  // namespace fg
