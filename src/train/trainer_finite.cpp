// The non-finite policy at the edges of a run: a checkpoint is only saved while the model, the
// optimizer state and the latest loss are finite (so rotation can never replace the last good
// checkpoint with a poisoned one), and a run that ends non-finite fails instead of saving.
#include <fmt/format.h>

#include <cmath>

#include "formats/finite_check.h"
#include "train/model_io.h"
#include "train/trainer_internal.h"

namespace fg::train {

std::string Trainer::non_finite_state(const State& st) const {
  if (st.last_loss && !std::isfinite(*st.last_loss))
    return fmt::format("step {} loss is {}", st.global_step, *st.last_loss);
  if (auto weight = find_non_finite_weight(*in_.model)) return *weight;
  if (st.optimizer) {
    for (const optim::NamedBuffer& b : st.optimizer->state().buffers) {
      if (auto i = formats::first_non_finite(b.values)) {
        return fmt::format("optimizer state '{}' holds {} at element {}", b.name,
                           b.values[static_cast<size_t>(*i)], *i);
      }
    }
  }
  return "";
}

void Trainer::fail_if_ended_non_finite(const State& st, const TrainResult& result,
                                       int64_t start_step) const {
  std::string reason = non_finite_state(st);
  if (reason.empty() && st.global_step > start_step && !std::isfinite(result.final_loss))
    reason =
        fmt::format("the final logged loss (mean of the last window) is {}", result.final_loss);
  if (reason.empty()) return;
  throw Error(fmt::format(
      "[Trainer] the run ended non-finite at step {}: {}; no model was saved to {} and no "
      "checkpoint was written for it (the last finite checkpoint in {}/checkpoints is kept); "
      "lower the learning rate or set max_grad_norm",
      st.global_step, reason, args_.output_dir, args_.output_dir));
}

}  // namespace fg::train
