#pragma once
// Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_ (L2):
//   total = sqrt(sum over parameters of ||g||^2)
//   coef = max_norm / (total + 1e-6); if coef < 1, every gradient is scaled by coef.
#include <vector>

#include "optim/optimizer.h"

namespace fg::optim {

// The L2 norm of all defined gradients together (per-tensor norms summed in double, each
// rounded to f32 on the device); 0 when none.
double grad_norm(const std::vector<NamedParameter>& params);

// Gradients are scaled in place through the (shared) tensor handles, so a const list such as
// optimizer.params() can be passed. Returns the total norm before clipping, computed as torch does
// (f32 per-tensor norms, then their norm, rounded to f32) so the clip coefficient matches torch bit
// for bit. No clipping when max_norm <= 0, and none when the norm is not finite (torch would turn
// every gradient into NaN; the trainer skips that step).
double clip_grad_norm(const std::vector<NamedParameter>& params, double max_norm);

}  // namespace fg::optim
