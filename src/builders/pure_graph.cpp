#include "builders/pure_graph.h"

#include <unordered_set>
#include <vector>

namespace fg::builders {

using config::GraphNode;

void check_pure_graph(const config::Graph& graph, const config::Registry& registry,
                      const std::string& why) {
  // Iterative, and each shared (aliased) node once: a hostile graph can be deep or alias-heavy.
  std::vector<const GraphNode*> todo;
  std::unordered_set<const GraphNode*> seen;
  auto push = [&](const config::NodePtr& n) {
    if (n && seen.insert(n.get()).second) todo.push_back(n.get());
  };
  push(graph.root);
  while (!todo.empty()) {
    const GraphNode& node = *todo.back();
    todo.pop_back();
    if (node.kind == config::NodeKind::kCallable) {
      const config::RegistryEntry& entry =
          registry.find(node.constructor, node.where, node.key_path);
      if (entry.capability != config::Capability::kPure)
        throw ConfigError(config::refusal(node.constructor, entry.capability, why), node.where,
                          node.key_path);
    }
    for (const auto& item : node.items) push(item);
    for (const auto& [key, value] : node.entries) push(value);
    for (const auto& arg : node.args) push(arg);
    for (const auto& [key, value] : node.kwargs) push(value);
    push(node.latent_args);
    push(node.var_default);
  }
}

}  // namespace fg::builders
