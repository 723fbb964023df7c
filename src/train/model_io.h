#pragma once
// Model weights <-> safetensors, by state-dict name (parameters and persistent buffers), so a
// model directory or checkpoint exchanges with PyTorch. The file keys carry an optional prefix
// ("causal_lm." in the original's HF layout).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "nn/module.h"

namespace fg::train {

// Writes every state-dict tensor (atomic replace of `path`).
void save_model_weights(const nn::Module& model, const std::filesystem::path& path,
                        const std::string& prefix = "");

// Loads weights by name; strict: missing or unexpected keys and shape mismatches are errors
// naming the file and the tensor.
void load_model_weights(nn::Module& model, const std::filesystem::path& path,
                        const std::string& prefix = "");

// Loaded weights must be finite: a NaN or infinity is an error naming the tensor and the file.

// "weight '<name>' holds nan at element <i>" for the first non-finite weight, if any.
std::optional<std::string> find_non_finite_weight(const nn::Module& model);

// "name[d0,d1]" for every state-dict tensor: resume compares it to refuse a different model.
std::vector<std::string> model_signature(const nn::Module& model);

}  // namespace fg::train
