#pragma once
// The fused AdamW update over host buffers (spec-ml §5.3, torch.optim.AdamW's single-tensor path,
// same operation order in f32):
//   p = p * (1 - lr*wd)
//   m = beta1*m + (1-beta1)*g ;  v = beta2*v + (1-beta2)*g*g
//   p = p - step_size * m / (sqrt(v) / sqrt(1-beta2^t) + eps),  step_size = lr / (1-beta1^t)
// The optimizer itself calls Backend::adamw_update on device tensors; this entry point serves
// tests and benchmarks that hold plain vectors. Never allocates or throws.
#include <cstdint>

#include "kernels/types.h"

namespace fg::optim {

using AdamWScalars = kernels::AdamWScalars;

// p, m, v [n]: updated in place (=). g [n]: read only. OpenMP over n when it is large.
void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s);

}  // namespace fg::optim
