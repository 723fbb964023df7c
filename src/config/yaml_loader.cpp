#include "config/yaml_loader.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "config/preprocessor.h"
#include "config/yaml_scalar.h"
#include "config/yaml_tree.h"
#include "core/strings.h"

namespace fg::config {
namespace {

using detail::RawNode;
using detail::RawPtr;

constexpr const char* kStdTag = "tag:yaml.org,2002:";

// Callable/container tag prefixes, matched in this order (§4.3).
const std::vector<std::string>& tag_kinds() {
  static const std::vector<std::string> kinds = {"!factory", "!singleton", "!call",  "!lambda",
                                                 "!partial", "!meta",      "!tuple", "!list",
                                                 "!dlist",   "!dict"};
  return kinds;
}

class GraphBuilder {
 public:
  GraphBuilder(const std::string& text, const YamlLoadOptions& opts) : text_(text), opts_(opts) {}

  NodePtr build(const RawPtr& raw, const std::string& path) {
    if (!raw) return std::make_shared<GraphNode>();
    if (auto it = built_.find(raw.get()); it != built_.end()) return it->second;
    auto node = std::make_shared<GraphNode>();
    node->where = locate(*raw);
    node->key_path = path;
    built_[raw.get()] = node;  // registered first so aliases see the same node
    const std::string& tag = raw->tag;
    if (tag == "?" || tag == "!" || tag.empty()) {
      build_untagged(*raw, *node, path);
    } else if (starts_with(tag, kStdTag)) {
      build_standard(*raw, *node, path, tag.substr(std::string(kStdTag).size()));
    } else if (tag == "!var") {
      build_var(*raw, *node, path);
    } else {
      build_tagged(*raw, *node, path);
    }
    return node;
  }

  [[noreturn]] void fail(const RawNode& raw, const std::string& path, const std::string& msg) {
    throw ConfigError("[YAML] " + msg + rendered_note(raw.line), locate(raw), path);
  }

  SourceLocation locate(const RawNode& raw) const {
    if (opts_.mapper) return opts_.mapper(raw.line);
    return {opts_.source_name, raw.line + 1, raw.column + 1};
  }
  std::string rendered_note(int64_t line0) const {
    if (!opts_.mapper) return "";
    return fmt::format(" (rendered line {})\n{}", line0 + 1, numbered_excerpt(text_, line0, 2));
  }

 private:
  // Paths are stored on every node: cap them, or long keys above many nodes cost memory
  // quadratic in the text. Error messages keep the innermost part.
  static std::string join_path(const std::string& base, const std::string& key) {
    return capped_path(base.empty() ? key : base + "." + key);
  }
  static std::string capped_path(std::string path) {
    constexpr size_t kMaxPath = 256;
    if (path.size() <= kMaxPath) return path;
    return "..." + path.substr(path.size() - (kMaxPath - 3));
  }

  void build_untagged(const RawNode& raw, GraphNode& node, const std::string& path) {
    switch (raw.kind) {
      case RawNode::kNull:
        node.kind = NodeKind::kNull;
        return;
      case RawNode::kScalar:
        if (raw.tag == "!") {
          node.kind = NodeKind::kString;
          node.s = raw.value;
        } else {
          set_scalar(node, resolve_plain_scalar(raw.value));
        }
        return;
      case RawNode::kSeq:
        node.kind = NodeKind::kList;
        node.items = build_items(raw, path);
        return;
      case RawNode::kMap:
        node.kind = NodeKind::kMap;
        node.entries = build_entries(raw, path);
        return;
    }
  }

  static void set_scalar(GraphNode& node, const ScalarValue& v) {
    if (std::holds_alternative<ScalarNull>(v)) {
      node.kind = NodeKind::kNull;
    } else if (auto* b = std::get_if<bool>(&v)) {
      node.kind = NodeKind::kBool, node.b = *b;
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      node.kind = NodeKind::kInt, node.i = *i;
    } else if (auto* d = std::get_if<double>(&v)) {
      node.kind = NodeKind::kFloat, node.f = *d;
    } else {
      node.kind = NodeKind::kString, node.s = std::get<std::string>(v);
    }
  }

  void build_standard(const RawNode& raw, GraphNode& node, const std::string& path,
                      const std::string& type) {
    if (type == "map" || type == "seq") return build_untagged(raw, node, path);
    if (raw.kind != RawNode::kScalar && raw.kind != RawNode::kNull)
      fail(raw, path, "tag '!!" + type + "' expects a scalar, found a collection");
    const std::string text = raw.kind == RawNode::kNull ? "" : raw.value;
    if (type == "str") {
      node.kind = NodeKind::kString, node.s = text;
      return;
    }
    ScalarValue v = resolve_plain_scalar(text);
    const bool ok = (type == "null" && std::holds_alternative<ScalarNull>(v)) ||
                    (type == "bool" && std::holds_alternative<bool>(v)) ||
                    (type == "int" && std::holds_alternative<int64_t>(v)) ||
                    (type == "float" &&
                     (std::holds_alternative<double>(v) || std::holds_alternative<int64_t>(v)));
    if (!ok)
      fail(raw, path,
           "could not determine a constructor for the tag '!!" + type + "' with value '" + text +
               "'");
    if (type == "float" && std::holds_alternative<int64_t>(v))
      v = static_cast<double>(std::get<int64_t>(v));
    set_scalar(node, v);
  }

  void build_var(const RawNode& raw, GraphNode& node, const std::string& path) {
    node.kind = NodeKind::kVar;
    node.tag = "!var";
    if (raw.kind == RawNode::kScalar) {
      node.s = raw.value;
    } else if (raw.kind == RawNode::kMap) {
      for (const auto& [k, v] : merged_pairs(raw, path)) {
        if (k == "name" && v->kind == RawNode::kScalar) {
          node.s = v->value;
        } else if (k == "default") {
          node.var_default = build(v, join_path(path, "default"));
          node.has_default = true;
        } else {
          fail(raw, path,
               "!var mappings take 'name' (a string) and 'default', found key '" + k + "'" +
                   did_you_mean(k, {"name", "default"}));
        }
      }
    } else {
      fail(
          raw, path,
          std::string("!var expects a variable name or {name, default}, found ") +
              (raw.kind == RawNode::kSeq ? "a sequence (Var nodes may not be sequences)" : "null"));
    }
    if (node.s.empty()) fail(raw, path, "!var expects a non-empty variable name, found none");
  }

  void build_tagged(const RawNode& raw, GraphNode& node, const std::string& path) {
    const std::string& tag = raw.tag;
    std::string kind;
    for (const auto& k : tag_kinds())
      if (starts_with(tag, k)) {
        kind = k.substr(1);
        break;
      }
    if (kind.empty()) {
      std::vector<std::string> known;
      for (const auto& k : tag_kinds()) known.push_back(k);
      known.push_back("!var");
      fail(raw, path,
           "could not determine a constructor for the tag '" + tag + "'" +
               did_you_mean(tag, known) + "; expected one of " + join(known, ", "));
    }
    const std::string suffix = tag.substr(kind.size() + 1);
    std::string constructor, name;
    if (!suffix.empty()) {
      const std::string rest = suffix.substr(1);  // drop the ':' (quirk: any first character)
      const size_t at = rest.find('@');
      constructor = rest.substr(0, at);
      if (at != std::string::npos) name = rest.substr(at + 1);
    }
    node.kind = NodeKind::kCallable;
    node.tag = tag;
    node.name = name;
    if (kind == "list" || kind == "tuple" || kind == "dict" || kind == "dlist")
      return build_container(raw, node, path, kind);
    node.call_kind = kind == "factory"                         ? CallKind::kFactory
                     : (kind == "lambda" || kind == "partial") ? CallKind::kPartial
                     : kind == "meta"                          ? CallKind::kMeta
                                                               : CallKind::kSingleton;
    if (constructor.empty())
      fail(raw, path,
           "tag '" + tag + "' needs a constructor ('" + tag + ":module:Name'), found none");
    node.constructor = constructor;
    build_arguments(raw, node, path);
  }

  void build_container(const RawNode& raw, GraphNode& node, const std::string& path,
                       const std::string& kind) {
    node.call_kind = CallKind::kSingleton;
    node.container = kind;
    const bool empty =
        raw.kind == RawNode::kNull || (raw.kind == RawNode::kScalar && raw.value.empty());
    if (kind == "list" || kind == "tuple") {
      node.constructor = kind == "list" ? "named_list" : "named_tuple";
      if (raw.kind == RawNode::kSeq) {
        node.args = build_items(raw, path);
      } else if (!empty) {
        fail(raw, path, "!" + kind + " expects a sequence or nothing, found " + shape(raw));
      }
      if (kind == "tuple" && empty) node.constructor = "named_list";  // quirk: empty -> list
      return;
    }
    if (raw.kind != RawNode::kMap && !empty)
      fail(raw, path, "!" + kind + " expects a mapping or nothing, found " + shape(raw));
    NodeEntries entries = raw.kind == RawNode::kMap ? build_entries(raw, path) : NodeEntries{};
    if (kind == "dict") {
      node.constructor = "named_dict";
      node.kwargs = std::move(entries);
    } else {
      node.constructor = "named_list";  // !dlist: values in key order, nulls dropped
      for (auto& [k, v] : entries)
        if (v->kind != NodeKind::kNull) node.args.push_back(v);
    }
  }

  static std::string shape(const RawNode& raw) {
    switch (raw.kind) {
      case RawNode::kNull:
        return "null";
      case RawNode::kScalar:
        return "scalar '" + raw.value + "'";
      case RawNode::kSeq:
        return "a sequence";
      case RawNode::kMap:
        return "a mapping";
    }
    return "?";
  }

  // §4.4: sequence -> positional; {args}, {kwargs}, {args, kwargs}; argN keys; the rest kwargs.
  void build_arguments(const RawNode& raw, GraphNode& node, const std::string& path) {
    if (raw.kind == RawNode::kNull || (raw.kind == RawNode::kScalar && raw.value.empty())) return;
    if (raw.kind == RawNode::kSeq) {
      node.args = build_items(raw, path);
      return;
    }
    if (raw.kind == RawNode::kScalar)
      fail(raw, path,
           "arguments of '" + raw.tag + "' must be a sequence or a mapping, found " + shape(raw));
    NodeEntries entries = build_entries(raw, path);
    std::set<std::string> keys;
    for (auto& [k, v] : entries) keys.insert(k);
    auto take_list = [&](const NodePtr& v, const std::string& what) {
      if (v->kind != NodeKind::kList && v->kind != NodeKind::kTuple)
        fail(raw, join_path(path, what), "'args' must be a sequence, found " + describe_node(*v));
      node.args = v->items;
    };
    auto take_map = [&](const NodePtr& v) {
      if (v->kind != NodeKind::kMap)
        fail(raw, join_path(path, "kwargs"),
             "'kwargs' must be a mapping, found " + describe_node(*v));
      node.kwargs = v->entries;
    };
    if (keys == std::set<std::string>{"args"} || keys == std::set<std::string>{"args", "kwargs"} ||
        keys == std::set<std::string>{"kwargs"}) {
      for (auto& [k, v] : entries) k == "args" ? take_list(v, k) : take_map(v);
      return;
    }
    std::vector<std::pair<int64_t, NodePtr>> positional;
    for (auto& [k, v] : entries) {
      if (auto n = positional_index(k)) {
        positional.emplace_back(*n, v);
      } else if (k == "latent_args") {
        node.latent_args = v;
      } else if (k == "submodule_searchpath") {
        node.submodule_searchpath = v;
      } else {
        node.kwargs.emplace_back(k, v);
      }
    }
    std::stable_sort(positional.begin(), positional.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [n, v] : positional) node.args.push_back(v);
  }

  // "argN" -> N. Digits past int64 only order among themselves, so they sort last.
  static std::optional<int64_t> positional_index(const std::string& key) {
    if (key.size() <= 3 || key.compare(0, 3, "arg") != 0) return std::nullopt;
    int64_t n = 0;
    for (size_t i = 3; i < key.size(); ++i) {
      if (key[i] < '0' || key[i] > '9') return std::nullopt;
      const int64_t digit = key[i] - '0';
      n = n > (INT64_MAX - digit) / 10 ? INT64_MAX : n * 10 + digit;
    }
    return n;
  }

  std::vector<NodePtr> build_items(const RawNode& raw, const std::string& path) {
    std::vector<NodePtr> items;
    for (size_t i = 0; i < raw.items.size(); ++i)
      items.push_back(build(raw.items[i], capped_path(path + "[" + std::to_string(i) + "]")));
    return items;
  }

  static std::string key_text(const RawNode& key) {
    return key.kind == RawNode::kNull ? "null" : key.value;
  }

  // Merge keys (`<<: *a`, `<<: [*a, *b]`) flattened; duplicate keys: last wins, first position.
  std::vector<std::pair<std::string, RawPtr>> merged_pairs(const RawNode& raw,
                                                           const std::string& path) {
    // Each list keeps an index of its keys: a linear search per key is quadratic in a mapping's
    // size, which a hostile document makes large.
    struct KeyedList {
      std::vector<std::pair<std::string, RawPtr>> pairs;
      std::unordered_map<std::string, size_t> index;
    };
    KeyedList merged, own;
    auto put = [](KeyedList& list, const std::string& k, const RawPtr& v, bool overwrite) {
      auto [it, inserted] = list.index.emplace(k, list.pairs.size());
      if (inserted) {
        list.pairs.emplace_back(k, v);
      } else if (overwrite) {
        list.pairs[it->second].second = v;
      }
    };
    for (const auto& [k, v] : raw.pairs) {
      if (k->kind == RawNode::kSeq || k->kind == RawNode::kMap)
        fail(*k, path, "mapping keys must be scalars, found " + shape(*k));
      if (k->kind == RawNode::kScalar && k->tag == "?" && k->value == "<<") {
        std::vector<RawPtr> sources;
        if (v->kind == RawNode::kMap) sources.push_back(v);
        if (v->kind == RawNode::kSeq) sources = v->items;
        if (sources.empty())
          fail(*v, path,
               "merge key '<<' expects a mapping or a sequence of "
               "mappings, found " +
                   shape(*v));
        for (const auto& src : sources) {
          if (src->kind != RawNode::kMap)
            fail(*src, path, "merge key '<<' expects mappings, found " + shape(*src));
          for (auto& [mk, mv] : merged_pairs(*src, path)) put(merged, mk, mv, false);
        }
        continue;
      }
      put(own, key_text(*k), v, true);
    }
    for (auto& [k, v] : own.pairs) put(merged, k, v, true);
    return std::move(merged.pairs);
  }

  NodeEntries build_entries(const RawNode& raw, const std::string& path) {
    NodeEntries entries;
    for (auto& [k, v] : merged_pairs(raw, path))
      entries.emplace_back(k, build(v, join_path(path, k)));
    return entries;
  }

  const std::string& text_;
  const YamlLoadOptions& opts_;
  std::map<const RawNode*, NodePtr> built_;
};

// §4.8: two distinct nodes with the same explicit name are an error.
void check_names(const NodePtr& node, std::map<std::string, const GraphNode*>& names,
                 std::set<const GraphNode*>& seen) {
  if (!node || !seen.insert(node.get()).second) return;
  if (node->kind == NodeKind::kCallable && !node->name.empty()) {
    auto [it, inserted] = names.emplace(node->name, node.get());
    if (!inserted)
      throw ConfigError("[YAML] DuplicateNameError: multiple definitions found for node '" +
                            node->name + "': expected one '@" + node->name +
                            "' node, found a second one (first at " +
                            it->second->where.to_string() + ")",
                        node->where, node->key_path);
  }
  for (auto& n : node->items) check_names(n, names, seen);
  for (auto& n : node->args) check_names(n, names, seen);
  for (auto& [k, n] : node->entries) check_names(n, names, seen);
  for (auto& [k, n] : node->kwargs) check_names(n, names, seen);
  check_names(node->var_default, names, seen);
}

}  // namespace

std::string numbered_excerpt(const std::string& text, int64_t line0, int64_t radius) {
  const auto lines = split_lines(text);
  std::string out;
  const int64_t lo = std::max<int64_t>(0, line0 - radius);
  const int64_t hi = std::min<int64_t>(static_cast<int64_t>(lines.size()) - 1, line0 + radius);
  for (int64_t i = lo; i <= hi; ++i) out += fmt::format("{:6d}: {}\n", i + 1, lines[i]);
  return out;
}

Graph load_yaml_graph(const std::string& text, const YamlLoadOptions& options) {
  detail::RawPtr raw;
  try {
    raw = detail::parse_raw_yaml(text, options.source_name, options.limits.max_depth);
    detail::check_expanded_limits(raw, options.limits, options.source_name);
  } catch (const ConfigError& e) {
    const int64_t line0 = e.where().line - 1;
    SourceLocation where = options.mapper ? options.mapper(line0) : e.where();
    if (options.mapper) where.column = e.where().column;
    throw ConfigError(
        e.bare_message() +
            fmt::format(" (rendered line {}, column {})\n", line0 + 1, e.where().column) +
            numbered_excerpt(text, line0),
        where);
  }
  GraphBuilder builder(text, options);
  Graph graph;
  graph.root = builder.build(raw, "");
  if (graph.root->kind == NodeKind::kMap) {  // hide top-level dot-keys
    NodeEntries kept;
    for (auto& e : graph.root->entries)
      if (!starts_with(e.first, ".")) kept.push_back(e);
    graph.root->entries = std::move(kept);
  }
  std::map<std::string, const GraphNode*> names;
  std::set<const GraphNode*> seen;
  check_names(graph.root, names, seen);
  return graph;
}

}  // namespace fg::config
