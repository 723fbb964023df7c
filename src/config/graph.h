#pragma once
// The configuration node graph ("latent graph", spec-config-cli §4.2): what the YAML loader
// produces and the materialiser consumes. Nodes are shared (anchors/aliases point at the same
// node) and immutable once loaded.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace fg::config {

struct GraphNode;
using NodePtr = std::shared_ptr<GraphNode>;
using NodeEntries = std::vector<std::pair<std::string, NodePtr>>;  // ordered mapping

enum class NodeKind { kNull, kBool, kInt, kFloat, kString, kList, kTuple, kMap, kCallable, kVar };

// How a callable node behaves when materialised (§5).
enum class CallKind { kSingleton, kFactory, kPartial, kMeta };

struct GraphNode {
  NodeKind kind = NodeKind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;               // string value; var name for kVar
  std::vector<NodePtr> items;  // kList / kTuple
  NodeEntries entries;         // kMap

  // kCallable
  CallKind call_kind = CallKind::kSingleton;
  std::string tag;          // the YAML tag as written ("!singleton:torch.nn:Linear@x")
  std::string constructor;  // "torch.nn:Linear", or a builtin for tagged containers
  std::string name;         // explicit "@name" label, "" when anonymous
  std::vector<NodePtr> args;
  NodeEntries kwargs;
  NodePtr latent_args;           // optional
  NodePtr submodule_searchpath;  // optional, kept for display only
  std::string container;         // "list"/"tuple"/"dict"/"dlist" for tagged containers

  // kVar: s = name
  NodePtr var_default;  // nullptr = no default
  bool has_default = false;

  // Provenance for error messages.
  SourceLocation where;  // original template file:line when traceable, else rendered text line
  std::string key_path;  // dotted path from the root, e.g. "trainer_args.learning_rate"

  bool is_scalar() const { return kind <= NodeKind::kString; }
  const NodePtr* find(const std::string& key) const;  // kMap lookup
};

// A loaded configuration: the root value and its targets (top-level keys minus dot-keys).
struct Graph {
  NodePtr root;
  std::vector<std::string> targets() const;
  NodePtr target(const std::string& name) const;  // throws ConfigError listing near matches
};

const char* node_kind_name(NodeKind kind);
std::string describe_node(const GraphNode& node);  // "int 3", "!singleton:x", "mapping", ...

}  // namespace fg::config
