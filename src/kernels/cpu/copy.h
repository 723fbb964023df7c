#pragma once
// Data movement: strided block copies (slice, cat), permutes, embedding gather/scatter-add.
#include <cstdint>
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                  int64_t dst_stride, int64_t elem_bytes);
void permute(const float* x, float* y, int64_t ndim, const int64_t* shape, const int64_t* perm);
void embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n, int64_t D);
void embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n, int64_t V,
                        int64_t D);

}  // namespace fg::kernels::cpu::FG_ISA_NS
