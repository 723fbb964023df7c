#pragma once
// Softmax, log-softmax and fused softmax-cross-entropy over the last dim; rows in parallel.
// Contracts in backend.h.
#include <cstdint>
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

void softmax_forward(const float* x, float* y, int64_t rows, int64_t D);
void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t D);
void log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D);
void log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t D);
void cross_entropy_forward(const float* logits, const int64_t* labels, float* lse, float* loss,
                           int64_t* count, int64_t N, int64_t V, int64_t ignore_index);
void cross_entropy_backward(const float* logits, const int64_t* labels, const float* lse,
                            float gloss, int64_t count, float* glogits, int64_t N, int64_t V,
                            int64_t ignore_index);

}  // namespace fg::kernels::cpu::FG_ISA_NS
