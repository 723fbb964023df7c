#pragma once
// A graph from an untrusted place (a model directory's config.json) may only build model
// components: every constructor it names must be registered as Capability::kPure. Checked over
// the whole graph before anything in it is built, so a refused graph has no effects at all.
#include <string>

#include "config/graph.h"
#include "config/registry.h"

namespace fg::builders {

// Throws ConfigError naming the first offending node (file:line, key path, constructor and its
// class); `why` says where the graph came from, e.g. "in a model directory's config.json".
void check_pure_graph(const config::Graph& graph, const config::Registry& registry,
                      const std::string& why);

}  // namespace fg::builders
