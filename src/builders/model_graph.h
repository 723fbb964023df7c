#pragma once
// A model's description for config.json: its hyper-parameters (model_config) plus its component
// graph as YAML (key "forgather_model_graph", `!var` nodes intact), so a model directory can be
// rebuilt through the registry without the project that trained it.
#include <nlohmann/json.hpp>
#include <string>

#include "config/materializer.h"
#include "config/registry.h"
#include "nn/causal_lm.h"

namespace fg::builders {

inline constexpr const char* kModelGraphKey = "forgather_model_graph";
inline constexpr const char* kModelGraphTarget = "model_factory";

// From the config's `model` target (a construct_model partial): model_config values + graph.
// Returns an empty object when the config has no such target.
nlohmann::json model_graph_json(config::Materializer& materializer, const config::Context* vars);

// Rebuilds the model of a config.json written from model_graph_json (with the trainer's vocab
// and token ids). `origin` names the file for errors.
std::unique_ptr<nn::CausalLM> build_model_from_json(const nlohmann::json& config,
                                                    const config::Registry& registry,
                                                    const std::string& origin);

}  // namespace fg::builders
