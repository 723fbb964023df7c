#pragma once
// The fused AdamW update over one parameter's data (spec-ml §5.3, torch.optim.AdamW's
// single-tensor path, same operation order in f32):
//   p = p * (1 - lr*wd)
//   m = beta1*m + (1-beta1)*g ;  v = beta2*v + (1-beta2)*g*g
//   p = p - step_size * m / (sqrt(v) / sqrt(1-beta2^t) + eps),  step_size = lr / (1-beta1^t)
// Never allocates or throws.
#include <cstdint>

namespace fg::optim {

struct AdamWScalars {
  float decay;  // 1 - lr * weight_decay
  float beta1, one_minus_beta1;
  float beta2, one_minus_beta2;
  float bias_correction2_sqrt;  // sqrt(1 - beta2^t)
  float eps;
  float neg_step_size;  // -lr / (1 - beta1^t)
};

// p, m, v [n]: updated in place (=). g [n]: read only. OpenMP over n when it is large.
void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s);

}  // namespace fg::optim
