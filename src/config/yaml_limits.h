#pragma once
// Bounds on a YAML document, so a hostile config cannot exhaust the stack (deep nesting) or
// memory and time (an alias bomb: anchors referenced many times, each reference counting again).
#include <cstdint>
#include <string>

#include "config/yaml_tree.h"

namespace fg::config {

inline constexpr int64_t kYamlDefaultMaxDepth = 256;
inline constexpr int64_t kYamlDefaultMaxNodes = 1'000'000;
inline constexpr const char* kYamlMaxDepthEnv = "FORGATHER_MAX_YAML_DEPTH";
inline constexpr const char* kYamlMaxNodesEnv = "FORGATHER_MAX_YAML_NODES";

struct YamlLimits {
  int64_t max_depth = kYamlDefaultMaxDepth;  // nested sequences/mappings, aliases expanded
  int64_t max_nodes = kYamlDefaultMaxNodes;  // nodes once every alias is expanded

  // The defaults, overridden by FORGATHER_MAX_YAML_DEPTH / FORGATHER_MAX_YAML_NODES when set.
  static YamlLimits from_env();
};

namespace detail {

// Message for nesting past the limit at one node (shared by the parser and the expanded check).
std::string depth_limit_message(int64_t max_depth);

// Throws ConfigError at the first node whose alias-expanded subtree breaks a limit. Shared
// subtrees are counted once per reference but visited once, so this is linear in the text.
void check_expanded_limits(const RawPtr& root, const YamlLimits& limits,
                           const std::string& source_name);

}  // namespace detail
}  // namespace fg::config
