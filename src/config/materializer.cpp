#include "config/materializer.h"

#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"

namespace fg::config {

struct Materializer::State {
  const Registry& registry;
  Graph graph;
  std::unordered_map<const GraphNode*, Object> cache;  // singleton/meta instances
  std::unordered_set<const GraphNode*> active;         // cycle guard

  State(const Registry& r, Graph g) : registry(r), graph(std::move(g)) {}
};

namespace {

std::string node_label(const GraphNode& n) {
  return n.constructor + (n.name.empty() ? "" : "@" + n.name);
}

}  // namespace

Materializer::Materializer(const Registry& registry, Graph graph)
    : state_(std::make_shared<State>(registry, std::move(graph))) {}

const Graph& Materializer::graph() const {
  return state_->graph;
}
const Registry& Materializer::registry() const {
  return state_->registry;
}

Object Materializer::target(const std::string& name, const Context& vars) {
  return materialize(state_->graph.target(name), vars, 1);
}

Object Materializer::wrap_node(const NodePtr& node) {
  return Object::component(node, "config.Node");
}
NodePtr Materializer::unwrap_node(const Object& object) {
  return object.as<GraphNode>("a raw config node (config.Node)");
}

namespace {

Object scalar_object(const GraphNode& n) {
  switch (n.kind) {
    case NodeKind::kBool:
      return Object::boolean(n.b);
    case NodeKind::kInt:
      return Object::integer(n.i);
    case NodeKind::kFloat:
      return Object::real(n.f);
    case NodeKind::kString:
      return Object::string(n.s);
    default:
      return Object::none();
  }
}

std::vector<std::string> context_names(const Context& vars) {
  std::vector<std::string> names;
  for (const auto& [k, v] : vars) names.push_back(k);
  return names;
}

}  // namespace

Object Materializer::materialize(const NodePtr& node_ptr, const Context& vars, int depth,
                                 CallArgs* extra) {
  const GraphNode& node = *node_ptr;
  switch (node.kind) {
    case NodeKind::kNull:
    case NodeKind::kBool:
    case NodeKind::kInt:
    case NodeKind::kFloat:
    case NodeKind::kString: {
      Object o = scalar_object(node);
      return o.at(node.where, node.key_path);
    }
    case NodeKind::kList:
    case NodeKind::kTuple: {
      ObjectList items;
      for (const auto& item : node.items) items.push_back(materialize(item, vars, depth + 1));
      Object o = Object::list(std::move(items), node.kind == NodeKind::kTuple);
      return o.at(node.where, node.key_path);
    }
    case NodeKind::kMap: {
      ObjectDict entries;
      for (const auto& [k, v] : node.entries)
        entries.emplace_back(k, materialize(v, vars, depth + 1));
      Object o = Object::dict(std::move(entries));
      return o.at(node.where, node.key_path);
    }
    case NodeKind::kVar: {
      if (auto it = vars.find(node.s); it != vars.end()) return it->second;
      if (node.has_default) return materialize(node.var_default, vars, depth + 1);
      auto names = context_names(vars);
      throw ConfigError("[Materialize] UnboundVarError: variable '" + node.s +
                            "' is undefined: expected a context variable or a default, found "
                            "neither" +
                            did_you_mean(node.s, names) +
                            (names.empty() ? "" : "; variables: " + join(names, ", ")),
                        node.where, node.key_path);
    }
    case NodeKind::kCallable:
      break;
  }

  if (node.call_kind == CallKind::kPartial && depth > 0) {
    auto state = state_;
    NodePtr keep = node_ptr;
    Context captured = vars;
    return Object::callable(
        [state, keep, captured](CallArgs& call) {
          Materializer m(state);
          return m.materialize(keep, captured, 0, &call);
        },
        node_label(node));
  }
  const bool cached = node.call_kind == CallKind::kSingleton || node.call_kind == CallKind::kMeta;
  if (cached && !extra)
    if (auto it = state_->cache.find(&node); it != state_->cache.end()) return it->second;
  if (!state_->active.insert(&node).second)
    throw ConfigError("[Materialize] circular reference: node '" + node_label(node) +
                          "' is (indirectly) its own argument",
                      node.where, node.key_path);
  Object result;
  try {
    result = construct(node, vars, extra);
  } catch (...) {
    state_->active.erase(&node);
    throw;
  }
  state_->active.erase(&node);
  if (cached && !extra && !result.is_none()) state_->cache[&node] = result;
  return result;
}

Object Materializer::construct(const GraphNode& node, const Context& vars, CallArgs* extra) {
  const RegistryEntry& entry = state_->registry.find(node.constructor, node.where, node.key_path);
  ObjectList args;
  ObjectDict kwargs;
  auto put = [&](const std::string& k, Object v) {
    for (auto& [ek, ev] : kwargs)
      if (ek == k) return void(ev = std::move(v));
    kwargs.emplace_back(k, std::move(v));
  };
  if (entry.meta) {
    for (const auto& a : node.args) args.push_back(wrap_node(a));
    for (const auto& [k, v] : node.kwargs) put(k, wrap_node(v));
  } else {
    for (const auto& a : node.args) args.push_back(materialize(a, vars, 1));
    for (const auto& [k, v] : node.kwargs) put(k, materialize(v, vars, 1));
  }
  if (node.latent_args) {
    Object latent = materialize(node.latent_args, vars, 1);
    if (latent.type() != Object::Type::kDict)
      throw ConfigError("[Materialize] latent_args of '" + node_label(node) +
                            "' must be a mapping, found " + latent.type_name(),
                        node.latent_args->where, node.key_path + ".latent_args");
    for (const auto& [k, v] : latent.as_dict()) put(k, v);
  }
  if (extra) {
    for (const auto& a : extra->positional()) args.push_back(a);
    for (const auto& [k, v] : extra->keyword()) put(k, v);
  }
  CallArgs call(std::move(args), std::move(kwargs), node.constructor, node.where, node.key_path);
  BuildContext ctx{this, &vars};
  try {
    Object result = entry.build(call, ctx);
    if (result.where().known()) return result;
    return result.at(node.where, node.key_path);
  } catch (const ConfigError& e) {
    if (e.where().known()) throw;
    throw ConfigError(e.bare_message(), node.where,
                      e.key_path().empty() ? node.key_path : e.key_path());
  } catch (const Error& e) {
    throw ConfigError(std::string(e.what()) + " (while constructing '" + node.constructor + "')",
                      node.where, node.key_path);
  } catch (const std::exception& e) {
    throw ConfigError("[" + node.constructor + "] " + e.what(), node.where, node.key_path);
  }
}

}  // namespace fg::config
