#pragma once
// Internal: the raw YAML tree built from yaml-cpp events, before tags are interpreted.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fg::config::detail {

struct RawNode {
  enum Kind { kNull, kScalar, kSeq, kMap } kind = kNull;
  std::string tag;    // "?" plain, "!" quoted, else the explicit tag
  std::string value;  // scalar text
  std::vector<std::shared_ptr<RawNode>> items;
  std::vector<std::pair<std::shared_ptr<RawNode>, std::shared_ptr<RawNode>>> pairs;
  int64_t line = 0;  // 0-based line in the rendered text
  int64_t column = 0;
  bool complete = false;
};
using RawPtr = std::shared_ptr<RawNode>;

// Parses one document (the first); nullptr for an empty document. Nesting deeper than
// `max_depth` throws ConfigError before yaml-cpp recurses further.
RawPtr parse_raw_yaml(const std::string& text, const std::string& source_name, int64_t max_depth);

}  // namespace fg::config::detail
