#include "core/error.h"

namespace fg {

std::string SourceLocation::to_string() const {
  if (file.empty()) return "<unknown>";
  std::string s = file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

namespace {
std::string compose(const std::string& message, const SourceLocation& where,
                    const std::string& key_path) {
  std::string s;
  if (where.known()) s += where.to_string() + ": ";
  if (!key_path.empty()) s += "at '" + key_path + "': ";
  return s + message;
}
}  // namespace

ConfigError::ConfigError(const std::string& message, SourceLocation where, std::string key_path)
    : Error(compose(message, where, key_path)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      bare_message_(message) {}

}  // namespace fg
