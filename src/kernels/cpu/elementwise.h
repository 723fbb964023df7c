#pragma once
// Elementwise CPU kernels (OpenMP over chunks, vectorisable inner loops). See backend.h for the
// contract of each.
#include <cstdint>

#include "kernels/cpu/isa_namespace.h"
#include "kernels/types.h"

namespace fg::kernels::cpu::FG_ISA_NS {

void fill(float* x, int64_t n, float v);
void broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols);
void bias_act_forward(Activation a, const float* b, float* pre, float* out, int64_t rows,
                      int64_t cols);
void col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate);
void binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n, int64_t nb);
void binary_backward(BinaryOp op, const float* a, const float* b, const float* g, float* ga,
                     float* gb, int64_t n, int64_t nb);
void affine(const float* x, float* y, int64_t n, float alpha, float beta);
void axpy(const float* x, float* y, int64_t n, float alpha);
void sum(const float* x, int64_t n, float* out);
void activation_forward(Activation a, const float* x, float* y, int64_t n);
void activation_backward(Activation a, const float* x, const float* gy, float* gx, int64_t n);
void glu_forward(Activation a, const float* value, const float* gate, float* y, int64_t n,
                 const FusedDropout& drop);
void glu_forward_keep_bf16(Activation a, const float* value, const float* gate, float* y,
                           uint16_t* value16, uint16_t* gate16, int64_t n,
                           const FusedDropout& drop);
void glu_backward_bf16(Activation a, const uint16_t* value16, const uint16_t* gate16,
                       const float* gy, float* gvalue, float* ggate, int64_t n,
                       const FusedDropout& drop);
void glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                  float* gvalue, float* ggate, int64_t n, const FusedDropout& drop);
void dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed, uint64_t base);
void dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed, uint64_t base);

}  // namespace fg::kernels::cpu::FG_ISA_NS
