#include "core/json_parse.h"

#include <fmt/format.h>

#include "core/env_limit.h"
#include "core/error.h"

namespace fg {
namespace {

// Throws when an array or object opens deeper than `max_depth`, naming its line and column.
// Brackets inside strings do not count; syntax is left to the parser.
void check_nesting(std::string_view text, const std::string& origin, int64_t max_depth) {
  int64_t depth = 0, line = 1, column = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    ++column;
    if (c == '\n') line += 1, column = 0;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        throw IoError(fmt::format(
            "[JSON] {}: line {}, column {}: nesting too deep: expected at most {} nested arrays "
            "or objects, found more; set {} to raise the limit",
            origin, line, column, max_depth, kJsonMaxDepthEnv));
    } else if (c == ']' || c == '}') {
      depth = depth > 0 ? depth - 1 : 0;
    }
  }
}

// nlohmann's what() starts with "[json.exception.parse_error.101] "; the id helps nobody.
std::string without_exception_id(const std::string& what) {
  if (what.rfind("[json.exception.", 0) != 0) return what;
  const size_t end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

// A value for an error message: one line, at most 60 characters, never throwing on bad UTF-8.
std::string short_dump(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace

int64_t json_max_depth() {
  return env_limit(kJsonMaxDepthEnv, kJsonDefaultMaxDepth);
}

nlohmann::json parse_json(std::string_view text, const std::string& origin, int64_t max_depth) {
  check_nesting(text, origin, max_depth);
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw IoError("[JSON] " + origin + ": invalid JSON: " + without_exception_id(e.what()));
  }
}

int64_t json_int64(const nlohmann::json& value, const std::string& what, int64_t min, int64_t max) {
  const auto out_of_range = [&] {
    return IoError(fmt::format("[JSON] {}: expected an integer in [{}, {}], found {}", what, min,
                               max, short_dump(value)));
  };
  if (value.is_number_unsigned()) {
    const uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(max)) throw out_of_range();
    return static_cast<int64_t>(v);
  }
  if (!value.is_number_integer())
    throw IoError(fmt::format("[JSON] {}: expected an integer, found {} {}", what,
                              value.type_name(), short_dump(value)));
  const int64_t v = value.get<int64_t>();
  if (v < min || v > max) throw out_of_range();
  return v;
}

uint64_t json_uint64(const nlohmann::json& value, const std::string& what) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  return static_cast<uint64_t>(json_int64(value, what, 0));
}

}  // namespace fg
