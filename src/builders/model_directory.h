#pragma once
// Loads a trained model directory (or a checkpoint directory: it holds the same files) without
// the project that trained it: config.json describes the model's component graph and values.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "config/registry.h"
#include "nn/causal_lm.h"
#include "tokenizer/tokenizer.h"

namespace fg::builders {

struct LoadedModel {
  std::shared_ptr<nn::CausalLM> model;
  std::shared_ptr<tokenizer::Tokenizer> tokenizer;  // null if the directory has none
  nlohmann::json config;                            // config.json
};

// Rebuilds the architecture and loads model.safetensors. Errors name the directory and the
// missing/invalid file. The model is returned in eval mode.
LoadedModel load_model_directory(const std::filesystem::path& dir,
                                 const config::Registry& registry);

}  // namespace fg::builders
