#pragma once
// Graph -> Objects through the registry (spec-config-cli §5): singletons shared for the
// materialiser's lifetime, factories new at each use, partials become callables, !var bound
// from the context, latent_args merged last, !meta builders get raw nodes.
#include <memory>
#include <string>
#include <vector>

#include "config/graph.h"
#include "config/registry.h"

namespace fg::config {

class Materializer {
 public:
  Materializer(const Registry& registry, Graph graph);

  const Graph& graph() const;
  const Registry& registry() const;
  // A target's value (starts at depth 1: a partial target yields a callable).
  Object target(const std::string& name, const Context& vars = {});
  // Any node; depth 0 calls a root partial with `extra` arguments.
  Object materialize(const NodePtr& node, const Context& vars, int depth = 0,
                     CallArgs* extra = nullptr);

  // Wraps a raw node as an Object (what !meta builders receive) and back.
  static Object wrap_node(const NodePtr& node);
  static NodePtr unwrap_node(const Object& object);

 private:
  struct State;
  explicit Materializer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Object construct(const GraphNode& node, const Context& vars, CallArgs* extra);
  std::shared_ptr<State> state_;
};

}  // namespace fg::config
