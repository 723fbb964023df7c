#include "optim/adamw_kernel.h"

#include "kernels/cpu/optimizer_kernels.h"

namespace fg::optim {

void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s) {
  kernels::cpu::adamw_update(p, g, m, v, n, s);
}

}  // namespace fg::optim
