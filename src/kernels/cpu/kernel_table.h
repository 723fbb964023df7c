#pragma once
// The CPU kernels of one instruction set as a table of function pointers. Each ISA's copy of the
// kernels (cmake/FgIsa.cmake) defines its own kKernelTable; isa.h picks one at start-up and
// CpuBackend calls through it. Contracts of each kernel: backend.h and the family headers.
#include <cstdint>

#include "kernels/attention_shape.h"
#include "kernels/types.h"
#include "tensor/dtype.h"

namespace fg::kernels::cpu {

// head_dim is held in fixed-size stack tiles; the op layer rejects larger heads.
constexpr int64_t kAttentionMaxHeadDim = 256;

// How attention_backward splits work over threads; all give bitwise identical results.
//   TwoPass:   dq per (b, h, query tile), then dk/dv per (b, kv head, key tile); fine-grained.
//   PerKvHead: one item per (b, kv head) computes dq, dk, dv together; ~30% less arithmetic.
//   Auto:      PerKvHead when B*Hkv items keep the threads busy, else TwoPass.
enum class AttentionBackwardSchedule { Auto, TwoPass, PerKvHead };

struct KernelTable {
  // copy.h
  void (*strided_copy)(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                       int64_t dst_stride, int64_t elem_bytes);
  void (*permute)(const float* x, float* y, int64_t ndim, const int64_t* shape,
                  const int64_t* perm);
  void (*embedding_forward)(const float* weight, const int64_t* ids, float* out, int64_t n,
                            int64_t D);
  void (*embedding_backward)(const int64_t* ids, const float* gy, float* gw, int64_t n, int64_t V,
                             int64_t D);
  // convert.h
  void (*convert)(const void* src, DType from, void* dst, DType to, int64_t n);
  // elementwise.h
  void (*fill)(float* x, int64_t n, float v);
  void (*broadcast_rows)(const float* b, float* y, int64_t rows, int64_t cols);
  void (*bias_act_forward)(Activation a, const float* b, float* pre, float* out, int64_t rows,
                           int64_t cols);
  void (*col_sum)(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate);
  void (*binary_forward)(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                         int64_t nb);
  void (*binary_backward)(BinaryOp op, const float* a, const float* b, const float* g, float* ga,
                          float* gb, int64_t n, int64_t nb);
  void (*affine)(const float* x, float* y, int64_t n, float alpha, float beta);
  void (*axpy)(const float* x, float* y, int64_t n, float alpha);
  void (*sum)(const float* x, int64_t n, float* out);
  void (*activation_forward)(Activation a, const float* x, float* y, int64_t n);
  void (*activation_backward)(Activation a, const float* x, const float* gy, float* gx, int64_t n);
  void (*glu_forward)(Activation a, const float* value, const float* gate, float* y, int64_t n,
                      const FusedDropout& drop);
  void (*glu_forward_keep_bf16)(Activation a, const float* value, const float* gate, float* y,
                                uint16_t* value16, uint16_t* gate16, int64_t n,
                                const FusedDropout& drop);
  void (*glu_backward_bf16)(Activation a, const uint16_t* value16, const uint16_t* gate16,
                            const float* gy, float* gvalue, float* ggate, int64_t n,
                            const FusedDropout& drop);
  void (*glu_backward)(Activation a, const float* value, const float* gate, const float* gy,
                       float* gvalue, float* ggate, int64_t n, const FusedDropout& drop);
  void (*dropout_forward)(const float* x, float* y, int64_t n, float p, uint64_t seed,
                          uint64_t base);
  void (*dropout_backward)(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                           uint64_t base);
  // norm.h
  void (*layer_norm_forward)(const float* x, const float* w, const float* b, float* y, float* mean,
                             float* rstd, int64_t rows, int64_t D, float eps);
  void (*layer_norm_backward)(const float* x, const float* w, const float* mean, const float* rstd,
                              const float* gy, float* gx, float* gw, float* gb, int64_t rows,
                              int64_t D);
  void (*rms_norm_forward)(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                           int64_t D, float eps);
  void (*rms_norm_backward)(const float* x, const float* w, const float* rstd, const float* gy,
                            float* gx, float* gw, int64_t rows, int64_t D);
  // softmax.h
  void (*softmax_forward)(const float* x, float* y, int64_t rows, int64_t D);
  void (*softmax_backward)(const float* y, const float* gy, float* gx, int64_t rows, int64_t D);
  void (*log_softmax_forward)(const float* x, float* y, int64_t rows, int64_t D);
  void (*log_softmax_backward)(const float* y, const float* gy, float* gx, int64_t rows, int64_t D);
  void (*cross_entropy_forward)(const float* logits, const int64_t* labels, float* lse, float* loss,
                                int64_t* count, int64_t N, int64_t V, int64_t ignore_index);
  void (*cross_entropy_backward)(const float* logits, const int64_t* labels, const float* lse,
                                 float gloss, int64_t count, float* glogits, int64_t N, int64_t V,
                                 int64_t ignore_index);
  // attention.h
  void (*attention_forward)(const AttentionShape& shape, const AttentionParams& params,
                            const float* q, const float* k, const float* v, const float* slopes,
                            float* out, float* lse);
  // bf16 q, k, v (raw bits, Dh even); null in the copies built without AVX512-BF16.
  void (*attention_forward_bf16)(const AttentionShape& shape, const AttentionParams& params,
                                 const uint16_t* q, const uint16_t* k, const uint16_t* v,
                                 const float* slopes, float* out, float* lse);
  int64_t (*attention_backward_workspace_size)(const AttentionShape& shape);
  void (*attention_backward)(const AttentionShape& shape, const AttentionParams& params,
                             const float* q, const float* k, const float* v, const float* slopes,
                             const float* out, const float* lse, const float* dout, float* dq,
                             float* dk, float* dv, float* dslopes, float* workspace,
                             AttentionBackwardSchedule schedule);
  // bf16 q, k, v (Dh even), the same workspace size; null without AVX512-BF16.
  void (*attention_backward_bf16)(const AttentionShape& shape, const AttentionParams& params,
                                  const uint16_t* q, const uint16_t* k, const uint16_t* v,
                                  const float* slopes, const float* out, const float* lse,
                                  const float* dout, float* dq, float* dk, float* dv,
                                  float* dslopes, float* workspace,
                                  AttentionBackwardSchedule schedule);
};

// One table per ISA copy; only the copies this build compiles are defined (isa.cpp knows which).
namespace baseline {
extern const KernelTable kKernelTable;
}
namespace avx2 {
extern const KernelTable kKernelTable;
}
namespace avx512 {
extern const KernelTable kKernelTable;
}
namespace native {
extern const KernelTable kKernelTable;
}

}  // namespace fg::kernels::cpu
