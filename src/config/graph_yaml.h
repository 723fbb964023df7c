#pragma once
// The resolved node graph as YAML (`forgather graph`, spec-config-cli §5.8): shared and named
// nodes are defined once under `.define: &name` and referenced as `*name`.
#include <string>

#include "config/graph.h"

namespace fg::config {

std::string graph_to_yaml(const Graph& graph);

}  // namespace fg::config
