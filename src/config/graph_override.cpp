#include "config/graph_override.h"

#include "config/yaml_loader.h"
#include "core/parse_number.h"
#include "core/strings.h"

namespace fg::config {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '.' || c == '[' || c == ']') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

bool parse_index(const std::string& s, size_t* out) {
  // (arg)?[0-9]+, checked by hand: std::regex recursed once per character of a long key.
  const std::string digits = s.rfind("arg", 0) == 0 ? s.substr(3) : s;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const auto index = try_parse_int(digits);  // nullopt beyond int64: no such item
  if (!index) return false;
  *out = static_cast<size_t>(*index);
  return true;
}

// The slot holding child `key` of `node`, or throws with the keys available there.
NodePtr* child_slot(GraphNode& node, const std::string& key, const std::string& where) {
  std::vector<std::string> keys;
  auto search = [&](NodeEntries& entries) -> NodePtr* {
    for (auto& [k, v] : entries)
      if (k == key) return &v;
    for (auto& [k, v] : entries) keys.push_back(k);
    return nullptr;
  };
  size_t index = 0;
  std::vector<NodePtr>* seq = nullptr;
  if (node.kind == NodeKind::kMap) {
    if (auto* s = search(node.entries)) return s;
  } else if (node.kind == NodeKind::kCallable) {
    if (auto* s = search(node.kwargs)) return s;
    seq = &node.args;
  } else if (node.kind == NodeKind::kList || node.kind == NodeKind::kTuple) {
    seq = &node.items;
  }
  if (seq && parse_index(key, &index) && index < seq->size()) return &(*seq)[index];
  throw ConfigError("[--set] no key '" + key + "' under '" + where + "' (" + describe_node(node) +
                        ")" + did_you_mean(key, keys) +
                        (keys.empty() ? "" : "; keys: " + join(keys, ", ")),
                    node.where, where);
}

}  // namespace

void apply_override(Graph& graph, const std::string& path, const std::string& value) {
  const auto parts = split_path(path);
  if (parts.empty()) throw ConfigError("[--set] expected key.path=value, found '" + path + "'");
  NodePtr* slot = &graph.root;
  std::string walked;
  for (const auto& part : parts) {
    slot = child_slot(**slot, part, walked.empty() ? "<root>" : walked);
    walked += (walked.empty() ? "" : ".") + part;
  }
  Graph scalar = load_yaml_graph("v: " + value + "\n", {"--set " + path, nullptr});
  NodePtr replacement = scalar.root->entries.at(0).second;
  replacement->key_path = walked;
  replacement->where = SourceLocation{"--set " + path, 0, 0};
  *slot = replacement;
}

}  // namespace fg::config
