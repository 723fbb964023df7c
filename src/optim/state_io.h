#pragma once
// Optimizer and scheduler state in a safetensors file, for checkpoints:
//   buffers  -> F32 tensors named "<parameter>.<slot>" with the parameter's shape
//   counters -> I64 scalars (shape []) with their names
//   metadata -> {"format": "pt", "optimizer": <kind>, "scheduler_step": <n>} (when given)
#include <cstdint>
#include <filesystem>
#include <optional>

#include "optim/optimizer.h"

namespace fg::optim {

void save_optimizer_state(const std::filesystem::path& path, const OptimizerState& state,
                          std::optional<int64_t> scheduler_step = std::nullopt);

struct LoadedOptimizerState {
  OptimizerState state;
  std::optional<int64_t> scheduler_step;
};
// Throws fg::IoError for a corrupt file, one without the "optimizer" metadata, or a buffer that
// holds a NaN or an infinity (naming the tensor).
LoadedOptimizerState load_optimizer_state(const std::filesystem::path& path);

}  // namespace fg::optim
