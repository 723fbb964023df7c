#pragma once
// The optimizer update kernels over plain float buffers (torch.optim.AdamW / SGD and
// clip_grad_norm_, same operation order in f32). Built once with -ffp-contract=off so the
// std::fma calls are the only fused operations: the results match torch bit for bit
// (tests/optim/optim_golden_test.cpp). Never allocate or throw.
#include <cstdint>

#include "kernels/types.h"

namespace fg::kernels::cpu {

// p, m, v [n] updated in place (=); g [n] read. OpenMP over n when it is large.
void adamw_update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s);
// p [n] (=), buf [n] (=, null without momentum), g [n] read.
void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool decay,
                bool first, bool nesterov);
// sqrt(sum x^2) accumulated in double.
double l2_norm(const float* x, int64_t n);
void scale(float* x, int64_t n, float factor);  // x *= factor

}  // namespace fg::kernels::cpu
