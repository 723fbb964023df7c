#include "config/graph_yaml.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "config/yaml_scalar.h"

namespace fg::config {
namespace {

const char* kGreek[] = {"alpha", "beta",    "gamma",   "delta", "epsilon", "zeta",
                        "eta",   "theta",   "iota",    "kappa", "lambda",  "mu",
                        "nu",    "xi",      "omicron", "pi",    "rho",     "sigma",
                        "tau",   "upsilon", "phi",     "chi",   "psi",     "omega"};

std::string auto_name(size_t i) {
  std::string name;
  do {
    name = std::string(kGreek[i % 24]) + "_" + name;
    i /= 24;
  } while (i-- > 0);
  return name;
}

std::string quote(const std::string& s) {
  // Quote when a plain scalar would read back as something else or be invalid YAML.
  const bool plain_ok = !s.empty() &&
                        std::holds_alternative<std::string>(resolve_plain_scalar(s)) &&
                        s.find_first_of(":#{}[],&*!|>'\"%@`\n") == std::string::npos &&
                        s.front() != ' ' && s.back() != ' ' && s.front() != '-' && s.front() != '?';
  if (plain_ok) return s;
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("''") : c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "'";
}

class Encoder {
 public:
  explicit Encoder(const Graph& g) : graph_(g) {}

  std::string run() {
    count(graph_.root);
    for (auto& [node, n] : refs_)
      if (n > 1 || (node->kind == NodeKind::kCallable && !node->name.empty())) shared_.insert(node);
    std::string body = value(graph_.root, 0, true);
    std::string out;
    for (const auto& def : defines_) out += def + "\n";
    return out + body;
  }

 private:
  void count(const NodePtr& n) {
    if (!n || n->is_scalar()) return;
    if (refs_[n.get()]++ > 0) return;
    for (auto& c : n->items) count(c);
    for (auto& c : n->args) count(c);
    for (auto& [k, c] : n->entries) count(c);
    for (auto& [k, c] : n->kwargs) count(c);
    count(n->var_default);
  }

  std::string name_of(const GraphNode* n) {
    auto it = names_.find(n);
    if (it != names_.end()) return it->second;
    std::string name = !n->name.empty() ? n->name : auto_name(next_auto_++);
    return names_[n] = name;
  }

  // A value written after "key:" (or at the top when `top`).
  std::string value(const NodePtr& n, int indent, bool top = false) {
    if (!top && shared_.count(n.get())) {
      if (!defined_.count(n.get())) {
        defined_.insert(n.get());
        const std::string name = name_of(n.get());
        defines_.push_back(".define: &" + name + " " + node_text(n, 1) + "\n");
      }
      return "*" + name_of(n.get());
    }
    return node_text(n, indent);
  }

  std::string pad(int indent) const { return std::string(indent * 4, ' '); }

  std::string entries_text(const NodeEntries& entries, int indent) {
    std::string out;
    for (const auto& [k, v] : entries)
      out += "\n" + pad(indent) + quote(k) + ": " + value(v, indent + 1);
    return out;
  }
  std::string items_text(const std::vector<NodePtr>& items, int indent) {
    std::string out;
    for (const auto& v : items) out += "\n" + pad(indent) + "- " + value(v, indent + 1);
    return out;
  }

  std::string node_text(const NodePtr& n, int indent) {
    switch (n->kind) {
      case NodeKind::kNull:
        return "null";
      case NodeKind::kBool:
        return n->b ? "True" : "False";
      case NodeKind::kInt:
        return std::to_string(n->i);
      case NodeKind::kFloat:
        return fmt::format("{}", n->f);
      case NodeKind::kString:
        return quote(n->s);
      case NodeKind::kList:
        return n->items.empty() ? "[]" : items_text(n->items, indent);
      case NodeKind::kTuple:
        return "!tuple" + (n->items.empty() ? std::string(" []") : items_text(n->items, indent));
      case NodeKind::kMap:
        return n->entries.empty() ? "{}" : entries_text(n->entries, indent);
      case NodeKind::kVar:
        if (!n->has_default) return "!var " + quote(n->s);
        return "!var\n" + pad(indent) + "name: " + quote(n->s) + "\n" + pad(indent) +
               "default: " + value(n->var_default, indent + 1);
      case NodeKind::kCallable:
        return callable_text(n, indent);
    }
    return "";
  }

  std::string callable_text(const NodePtr& n, int indent) {
    std::string tag;
    if (!n->container.empty()) {
      tag = "!" + n->container;
    } else {
      const char* kind = n->call_kind == CallKind::kFactory   ? "!factory:"
                         : n->call_kind == CallKind::kPartial ? "!lambda:"
                         : n->call_kind == CallKind::kMeta    ? "!meta:"
                                                              : "!singleton:";
      tag = kind + n->constructor;
    }
    if (!n->name.empty()) tag += (n->container.empty() ? "@" : ":@") + n->name;
    if (n->container == "dict")
      return tag + (n->kwargs.empty() ? " {}" : entries_text(n->kwargs, indent));
    if (n->kwargs.empty()) return tag + (n->args.empty() ? " []" : items_text(n->args, indent));
    NodeEntries all;
    for (size_t i = 0; i < n->args.size(); ++i)
      all.emplace_back("arg" + std::to_string(i), n->args[i]);
    all.insert(all.end(), n->kwargs.begin(), n->kwargs.end());
    return tag + entries_text(all, indent);
  }

  const Graph& graph_;
  std::map<const GraphNode*, int> refs_;
  std::set<const GraphNode*> shared_, defined_;
  std::map<const GraphNode*, std::string> names_;
  std::vector<std::string> defines_;
  size_t next_auto_ = 0;
};

}  // namespace

std::string graph_to_yaml(const Graph& graph) {
  return Encoder(graph).run();
}

}  // namespace fg::config
