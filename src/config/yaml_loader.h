#pragma once
// Rendered YAML text -> Graph (spec-config-cli §4): yaml-cpp's event parser, our own node tree
// (so anchors, duplicate keys and merge keys behave as PyYAML does), tags, argument mapping.
#include <functional>
#include <string>

#include "config/graph.h"
#include "config/yaml_limits.h"

namespace fg::config {

// Maps a 0-based line of the rendered text to the original template file:line. The default maps
// to {"<rendered>", line + 1}.
using LineMapper = std::function<SourceLocation(int64_t rendered_line0)>;

struct YamlLoadOptions {
  std::string source_name = "<rendered>";  // used when no mapper is given
  LineMapper mapper;                       // optional
  YamlLimits limits = YamlLimits::from_env();
};

// Parses, builds and validates the graph. Throws ConfigError naming file:line, key path, what
// was expected and what was found; syntax errors quote the numbered rendered lines around them.
// Nesting and alias expansion past `options.limits` are errors too (see yaml_limits.h).
Graph load_yaml_graph(const std::string& text, const YamlLoadOptions& options = {});

// Numbered excerpt "%6d: line" of `text` around 0-based `line0` (±radius lines).
std::string numbered_excerpt(const std::string& text, int64_t line0, int64_t radius = 3);

}  // namespace fg::config
