#include "config/graph.h"

#include "core/strings.h"

namespace fg::config {

const NodePtr* GraphNode::find(const std::string& key) const {
  for (const auto& [k, v] : entries)
    if (k == key) return &v;
  return nullptr;
}

std::vector<std::string> Graph::targets() const {
  std::vector<std::string> names;
  if (!root || root->kind != NodeKind::kMap) return names;
  for (const auto& [k, v] : root->entries) names.push_back(k);
  return names;
}

NodePtr Graph::target(const std::string& name) const {
  if (!root || root->kind != NodeKind::kMap)
    throw ConfigError("[Graph] expected a mapping at the root to select target '" + name +
                      "', found " +
                      (root ? describe_node(*root) : std::string("an empty document")));
  if (const NodePtr* found = root->find(name)) return *found;
  throw ConfigError("[Graph] unknown target '" + name + "'" + did_you_mean(name, targets()) +
                    "; targets are: " + join(targets(), ", "));
}

const char* node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return "bool";
    case NodeKind::kInt:
      return "int";
    case NodeKind::kFloat:
      return "float";
    case NodeKind::kString:
      return "string";
    case NodeKind::kList:
      return "sequence";
    case NodeKind::kTuple:
      return "tuple";
    case NodeKind::kMap:
      return "mapping";
    case NodeKind::kCallable:
      return "callable node";
    case NodeKind::kVar:
      return "!var";
  }
  return "?";
}

std::string describe_node(const GraphNode& node) {
  switch (node.kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return node.b ? "bool true" : "bool false";
    case NodeKind::kInt:
      return "int " + std::to_string(node.i);
    case NodeKind::kFloat:
      return "float " + std::to_string(node.f);
    case NodeKind::kString:
      return "string '" + node.s + "'";
    case NodeKind::kCallable:
      return "node " + node.tag;
    case NodeKind::kVar:
      return "!var '" + node.s + "'";
    default:
      return node_kind_name(node.kind);
  }
}

}  // namespace fg::config
