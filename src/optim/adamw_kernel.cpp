#include "optim/adamw_kernel.h"

#include <cmath>

namespace fg::optim {

void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s) {
  // torch's CPU add(alpha) and addcmul evaluate as fused multiply-adds; the fma calls below
  // reproduce torch.optim.AdamW bit for bit (checked by tests/optim/optim_golden_test.cpp).
  const AdamWScalars c = s;  // local copy: lets the compiler keep scalars in registers
#pragma omp parallel for simd schedule(static) if (n > (1 << 17))
  for (int64_t i = 0; i < n; ++i) {
    float gi = g[i];
    float pi = p[i] * c.decay;
    float mi = std::fma(c.one_minus_beta1, gi, m[i] * c.beta1);
    float vi = std::fma(c.one_minus_beta2 * gi, gi, v[i] * c.beta2);
    float denom = std::sqrt(vi) / c.bias_correction2_sqrt + c.eps;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi + c.neg_step_size * mi / denom;
  }
}

}  // namespace fg::optim
