#pragma once
// The one way to parse untrusted JSON (config.json, trainer_state.json, tokenizer configs):
// nesting is bounded before nlohmann sees the text, because copying, comparing or printing a
// deeply nested value recurses once per level and would overflow the stack.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fg {

inline constexpr int64_t kJsonDefaultMaxDepth = 256;
inline constexpr const char* kJsonMaxDepthEnv = "FORGATHER_MAX_JSON_DEPTH";

// The depth limit: kJsonDefaultMaxDepth, or FORGATHER_MAX_JSON_DEPTH when set.
int64_t json_max_depth();

// Parses `text`; `origin` (usually a file path) names it in errors. Throws fg::IoError for bad
// syntax (with line and column), nesting deeper than `max_depth` arrays/objects, or a number
// out of range.
nlohmann::json parse_json(std::string_view text, const std::string& origin,
                          int64_t max_depth = json_max_depth());

// The integer `value`, checked: nlohmann's get<int64_t>() casts a float such as 1e300 without a
// range check (undefined behaviour) and wraps -1 into a uint64_t. `what` names the value in errors
// ("trainer_state.json: global_step"). Throws fg::IoError for a non-integer or one out of range.
int64_t json_int64(const nlohmann::json& value, const std::string& what,
                   int64_t min = std::numeric_limits<int64_t>::min(),
                   int64_t max = std::numeric_limits<int64_t>::max());
uint64_t json_uint64(const nlohmann::json& value, const std::string& what);

}  // namespace fg
