#pragma once
// The one way to parse untrusted JSON (config.json, trainer_state.json, tokenizer configs):
// nesting is bounded before nlohmann sees the text, because copying, comparing or printing a
// deeply nested value recurses once per level and would overflow the stack.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fg {

inline constexpr int64_t kJsonDefaultMaxDepth = 256;
inline constexpr const char* kJsonMaxDepthEnv = "FG_JSON_MAX_DEPTH";

// The depth limit: kJsonDefaultMaxDepth, or FG_JSON_MAX_DEPTH when set.
int64_t json_max_depth();

// Parses `text`; `origin` (usually a file path) names it in errors. Throws fg::IoError for bad
// syntax (with line and column), nesting deeper than `max_depth` arrays/objects, or a number
// out of range.
nlohmann::json parse_json(std::string_view text, const std::string& origin,
                          int64_t max_depth = json_max_depth());

}  // namespace fg
