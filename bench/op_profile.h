#pragma once
// Per-op timing of one training step of the example model: every op the model runs, timed alone
// (forward and backward) at the model's real shapes and multiplied by its count per step.
#include <cstdint>

namespace fg::bench {

void profile_ops(int64_t batch, int64_t seq, int64_t reps);

}  // namespace fg::bench
