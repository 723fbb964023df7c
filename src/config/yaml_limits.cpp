#include "config/yaml_limits.h"

#include <fmt/format.h>

#include <unordered_map>

#include "core/env_limit.h"
#include "core/error.h"

namespace fg::config {

YamlLimits YamlLimits::from_env() {
  YamlLimits limits;
  limits.max_depth = env_limit(kYamlMaxDepthEnv, kYamlDefaultMaxDepth);
  limits.max_nodes = env_limit(kYamlMaxNodesEnv, kYamlDefaultMaxNodes);
  return limits;
}

namespace detail {
namespace {

struct Expanded {
  int64_t nodes = 0;
  int64_t depth = 0;  // levels below and including this node
};

class ExpansionCounter {
 public:
  ExpansionCounter(const YamlLimits& limits, const std::string& source)
      : limits_(limits), source_(source) {}

  // `level` is this node's depth along the current path; recursion stops at max_depth.
  Expanded visit(const RawNode& node, int64_t level) {
    if (level > limits_.max_depth) fail(node, depth_limit_message(limits_.max_depth));
    if (auto it = memo_.find(&node); it != memo_.end()) {
      if (level + it->second.depth - 1 > limits_.max_depth)
        fail(node, depth_limit_message(limits_.max_depth));
      return it->second;
    }
    Expanded total{1, 1};
    auto add = [&](const RawPtr& child) {
      if (!child) return;
      const Expanded sub = visit(*child, level + 1);
      total.nodes += sub.nodes;  // each term is at most max_nodes: no overflow
      total.depth = std::max(total.depth, sub.depth + 1);
      if (total.nodes > limits_.max_nodes) fail(node, nodes_limit_message());
    };
    for (const auto& item : node.items) add(item);
    for (const auto& [key, value] : node.pairs) {
      add(key);
      add(value);
    }
    memo_.emplace(&node, total);
    return total;
  }

 private:
  [[noreturn]] void fail(const RawNode& node, const std::string& message) const {
    throw ConfigError(message, {source_, node.line + 1, node.column + 1});
  }
  std::string nodes_limit_message() const {
    return fmt::format(
        "[YAML] document too large: this node expands to more than {} nodes once aliases are "
        "expanded (an alias bomb?); set {} to raise the limit",
        limits_.max_nodes, kYamlMaxNodesEnv);
  }

  const YamlLimits& limits_;
  const std::string& source_;
  std::unordered_map<const RawNode*, Expanded> memo_;
};

}  // namespace

std::string depth_limit_message(int64_t max_depth) {
  return fmt::format(
      "[YAML] nesting too deep: expected at most {} nested sequences or mappings (aliases "
      "expanded), found more; set {} to raise the limit",
      max_depth, kYamlMaxDepthEnv);
}

void check_expanded_limits(const RawPtr& root, const YamlLimits& limits,
                           const std::string& source_name) {
  if (!root) return;
  ExpansionCounter(limits, source_name).visit(*root, 1);
}

}  // namespace detail
}  // namespace fg::config
