#pragma once
// `--set key.path=value`: replaces one value of a loaded graph in place (aliases see the change).
#include <string>

#include "config/graph.h"

namespace fg::config {

// `path` is dotted: map keys, keyword arguments of callable nodes, `argN` / `N` / `[N]` indices.
// `value` is read as a YAML plain scalar (`3e-4` -> float, `true` -> bool, `~` -> null).
void apply_override(Graph& graph, const std::string& path, const std::string& value);

}  // namespace fg::config
