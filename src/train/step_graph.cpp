#include "train/step_graph.h"

namespace fg::train {

std::string step_graph_refusal(const StepGraphConditions& c) {
  if (!c.backend_supports_capture) return "the device's backend cannot record graphs";
  if (c.world_size > 1) return "data-parallel steps exchange gradients between ranks";
  if (c.gradient_accumulation_steps > 1) return "gradient_accumulation_steps > 1";
  if (!c.failed.empty()) return c.failed;
  return "";
}

StepGraphMode step_graph_mode(const StepGraphConditions& c, const std::optional<Shape>& recorded,
                              const Shape& batch, int64_t eager_steps) {
  if (!step_graph_refusal(c).empty()) return StepGraphMode::Eager;
  if (recorded) return *recorded == batch ? StepGraphMode::Replay : StepGraphMode::Eager;
  return eager_steps >= 1 ? StepGraphMode::Record : StepGraphMode::Eager;
}

}  // namespace fg::train
