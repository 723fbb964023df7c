#include "builders/model_graph.h"

#include "builders/module_handle.h"
#include "builders/pure_graph.h"
#include "config/graph_yaml.h"
#include "config/plain_value.h"
#include "config/yaml_loader.h"

namespace fg::builders {

using config::GraphNode;
using config::NodePtr;

namespace {

// The `factory` and `config` arguments of the construct_model node behind target `model`.
std::pair<NodePtr, NodePtr> model_nodes(const config::Graph& graph) {
  if (!graph.root || graph.root->kind != config::NodeKind::kMap) return {};
  const NodePtr* model = graph.root->find("model");
  if (!model || (*model)->kind != config::NodeKind::kCallable ||
      (*model)->constructor != "forgather.ml.construct:construct_model")
    return {};
  auto arg = [&](const std::string& name, size_t pos) -> NodePtr {
    for (const auto& [k, v] : (*model)->kwargs)
      if (k == name) return v;
    return pos < (*model)->args.size() ? (*model)->args[pos] : nullptr;
  };
  return {arg("factory", 0), arg("config", 1)};
}

}  // namespace

nlohmann::json model_graph_json(config::Materializer& materializer, const config::Context* vars) {
  const auto [factory, cfg] = model_nodes(materializer.graph());
  if (!factory || !cfg) return nlohmann::json::object();
  const config::Object values = materializer.materialize(cfg, vars ? *vars : config::Context{}, 1);
  nlohmann::json out = config::object_to_json(values);
  if (!out.is_object()) return nlohmann::json::object();
  config::Graph sub;
  sub.root = std::make_shared<GraphNode>();
  sub.root->kind = config::NodeKind::kMap;
  sub.root->entries = {{kModelGraphTarget, factory}};
  out[kModelGraphKey] = config::graph_to_yaml(sub);
  return out;
}

std::unique_ptr<nn::CausalLM> build_model_from_json(const nlohmann::json& config,
                                                    const config::Registry& registry,
                                                    const std::string& origin) {
  if (!config.is_object() || !config.contains(kModelGraphKey) ||
      !config[kModelGraphKey].is_string())
    throw Error("[load_model_directory] " + origin + " has no \"" + kModelGraphKey +
                "\" (the model's component graph); it was not written by a forgather trainer");
  config::YamlLoadOptions lo;
  lo.source_name = origin + ":" + kModelGraphKey;
  config::Graph graph = config::load_yaml_graph(config[kModelGraphKey].get<std::string>(), lo);
  // Untrusted: only model components, checked before anything is built, and a registry that
  // refuses the rest in case a node is reached some other way.
  const std::string why = "in a model directory's config.json";
  check_pure_graph(graph, registry, why);
  const config::Registry pure = registry.restricted_to(config::Capability::kPure, why);
  config::Context vars;
  for (const auto& [k, v] : config.items())
    if (k != kModelGraphKey) vars[k] = config::json_to_object(v);
  config::Materializer m(pure, graph);
  const config::Object value = m.target(kModelGraphTarget, vars);
  std::unique_ptr<nn::Module> module = take_module(value, origin + " model");
  auto* lm = dynamic_cast<nn::CausalLM*>(module.get());
  if (!lm)
    throw Error("[load_model_directory] " + origin + ": the graph builds a " + module->type_name() +
                ", expected a CausalLM");
  module.release();
  return std::unique_ptr<nn::CausalLM>(lm);
}

}  // namespace fg::builders
