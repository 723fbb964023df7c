#pragma once
// LayerNorm and RMSNorm over the last dim of [rows, D]; rows run in parallel, the weight/bias
// gradients are column reductions split across threads. Contracts in backend.h.
#include <cstdint>
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

void layer_norm_forward(const float* x, const float* w, const float* b, float* y, float* mean,
                        float* rstd, int64_t rows, int64_t D, float eps);
void layer_norm_backward(const float* x, const float* w, const float* mean, const float* rstd,
                         const float* gy, float* gx, float* gw, float* gb, int64_t rows, int64_t D);
void rms_norm_forward(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                      int64_t D, float eps);
void rms_norm_backward(const float* x, const float* w, const float* rstd, const float* gy,
                       float* gx, float* gw, int64_t rows, int64_t D);

}  // namespace fg::kernels::cpu::FG_ISA_NS
