#pragma once
// The abstract Backend: memory plus every kernel the tensor ops call, over raw pointers.
// A CUDA backend adds only an implementation of this interface. Kernels never allocate, throw or
// log; ops validate arguments first. Buffer shapes are given in comments; "=" means the kernel
// writes its output, "+=" that it accumulates.
#include <cstddef>
#include <cstdint>

#include "kernels/attention_shape.h"
#include "kernels/types.h"
#include "tensor/dtype.h"

namespace fg::kernels {

class Backend {
 public:
  virtual ~Backend() = default;

  // ---- memory ----
  virtual void* allocate(size_t bytes) = 0;
  virtual void deallocate(void* p, size_t bytes) = 0;
  virtual AllocatorStats allocator_stats() const = 0;
  virtual void empty_cache() = 0;  // returns cached blocks to the system
  virtual void set_num_threads(int n) = 0;
  virtual int num_threads() const = 0;

  // ---- host <-> device (the only sanctioned way the host reads or writes device memory) ----
  // host_dst[bytes] = src[bytes] (device); returns once the bytes are on the host.
  virtual void copy_to_host(const void* src, void* host_dst, int64_t bytes) = 0;
  // dst[bytes] (device) = host_src[bytes]; host_src may be reused once this returns.
  virtual void copy_from_host(const void* host_src, void* dst, int64_t bytes) = 0;
  // Waits until every kernel issued so far has finished (a no-op where kernels are synchronous).
  virtual void synchronize() = 0;

  // ---- element types ----
  // Whether this backend's kernels of family k take elements of type t (answered per ISA copy).
  virtual bool supports(Kernel k, DType t) const = 0;
  // dst[n] = src[n] converted between F32, BF16 and F16, rounding to nearest even.
  virtual void convert(const void* src, DType from, void* dst, DType to, int64_t n) = 0;

  // ---- data movement ----
  virtual void fill(float* x, int64_t n, float v) = 0;               // x[n] = v
  virtual void copy(const void* src, void* dst, int64_t bytes) = 0;  // dst = src
  // dst[o, 0:inner] = src[o, 0:inner] with row strides (in elements of elem_bytes).
  virtual void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner,
                            int64_t src_stride, int64_t dst_stride, int64_t elem_bytes) = 0;
  // y = x permuted: x has shape[ndim]; y's dim i is x's dim perm[i]. ndim <= 8.
  virtual void permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
                       const int64_t* perm) = 0;

  // ---- GEMM ----
  // C[M,N] = alpha * op(A) op(B) + beta * C, row-major; op(A) is [M,K], op(B) is [K,N].
  virtual void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                    const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
                    int64_t ldc) = 0;
  // The same with bf16 operands (raw bf16 bit patterns), f32 accumulation and f32 C.
  virtual void gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                         const BFloat16* A, int64_t lda, const BFloat16* B, int64_t ldb, float beta,
                         float* C, int64_t ldc) = 0;
  // y[rows, cols] = b[cols] broadcast (the bias that a beta=1 GEMM then accumulates onto).
  virtual void broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) = 0;
  // The epilogue after a linear layer's GEMM: pre[rows, cols] += b[cols] (b may be null), then
  // out[rows, cols] = act(pre) when out is non-null.
  virtual void bias_act_forward(Activation a, const float* b, float* pre, float* out, int64_t rows,
                                int64_t cols) = 0;
  // out[cols] (= or +=) sum over rows of g[rows, cols].
  virtual void col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) = 0;

  // ---- elementwise ----
  // out[n] = a[n] op b[i % nb] (b broadcast over leading dims when nb < n).
  virtual void binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                              int64_t nb) = 0;
  // ga[n] = d/da, gb[nb] = d/db summed over broadcast rows (either may be null); both "=".
  virtual void binary_backward(BinaryOp op, const float* a, const float* b, const float* g,
                               float* ga, float* gb, int64_t n, int64_t nb) = 0;
  virtual void affine(const float* x, float* y, int64_t n, float alpha, float beta) = 0;  // y=ax+b
  virtual void axpy(const float* x, float* y, int64_t n, float alpha) = 0;  // y += alpha x
  virtual void sum(const float* x, int64_t n, float* out) = 0;              // out[1] = sum x
  virtual void activation_forward(Activation a, const float* x, float* y, int64_t n) = 0;
  // gx[n] = gy * act'(x)
  virtual void activation_backward(Activation a, const float* x, const float* gy, float* gx,
                                   int64_t n) = 0;
  // y[n] = drop(value * act(gate)); drop is the fused dropout (FusedDropout, p 0: none).
  virtual void glu_forward(Activation a, const float* value, const float* gate, float* y, int64_t n,
                           const FusedDropout& drop) = 0;
  // g = drop(gy); gvalue = g*act(gate), ggate = g*value*act'(gate); both "=".
  virtual void glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                            float* gvalue, float* ggate, int64_t n, const FusedDropout& drop) = 0;
  // bf16 autocast keeps a GLU's inputs for backward in bf16, in the same pass: glu_forward that
  // also writes value and gate rounded to nearest even, and glu_backward reading those copies
  // (widened exactly, the arithmetic f32: equal to glu_backward at the rounded inputs).
  virtual void glu_forward_keep_bf16(Activation a, const float* value, const float* gate, float* y,
                                     BFloat16* value16, BFloat16* gate16, int64_t n,
                                     const FusedDropout& drop) = 0;
  virtual void glu_backward_bf16(Activation a, const BFloat16* value16, const BFloat16* gate16,
                                 const float* gy, float* gvalue, float* ggate, int64_t n,
                                 const FusedDropout& drop) = 0;
  // Inverted dropout with the mask drawn from random_bits(seed, base + i); backward redraws it.
  virtual void dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed,
                               uint64_t base) = 0;
  virtual void dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                                uint64_t base) = 0;

  // ---- normalisation over the last dim D of [rows, D] ----
  // w, b may be null. mean, rstd: [rows] saved for backward.
  virtual void layer_norm_forward(const float* x, const float* w, const float* b, float* y,
                                  float* mean, float* rstd, int64_t rows, int64_t D, float eps) = 0;
  // gx "="; gw, gb "=" (may be null).
  virtual void layer_norm_backward(const float* x, const float* w, const float* mean,
                                   const float* rstd, const float* gy, float* gx, float* gw,
                                   float* gb, int64_t rows, int64_t D) = 0;
  virtual void rms_norm_forward(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                                int64_t D, float eps) = 0;
  virtual void rms_norm_backward(const float* x, const float* w, const float* rstd, const float* gy,
                                 float* gx, float* gw, int64_t rows, int64_t D) = 0;

  // ---- softmax family over the last dim ----
  virtual void softmax_forward(const float* x, float* y, int64_t rows, int64_t D) = 0;
  virtual void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                int64_t D) = 0;
  virtual void log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) = 0;
  virtual void log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                    int64_t D) = 0;
  // logits [N,V], labels [N]; lse [N] "=" (saved); loss[1] = mean over counted rows (NaN if
  // none); count[1] = rows with label != ignore_index.
  virtual void cross_entropy_forward(const float* logits, const int64_t* labels, float* lse,
                                     float* loss, int64_t* count, int64_t N, int64_t V,
                                     int64_t ignore_index) = 0;
  // glogits[N,V] "=" gloss * (softmax - onehot) / count; ignored rows get 0.
  virtual void cross_entropy_backward(const float* logits, const int64_t* labels, const float* lse,
                                      float gloss, int64_t count, float* glogits, int64_t N,
                                      int64_t V, int64_t ignore_index) = 0;

  // ---- embedding ----
  // out[n, D] = weight[ids[i], :] (ids already range-checked by the op).
  virtual void embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n,
                                 int64_t D) = 0;
  // gw[V, D] "=" scatter-add of gy[n, D] rows by ids.
  virtual void embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n,
                                  int64_t V, int64_t D) = 0;

  // ---- index checks and label kernels (keep token ids on the device) ----
  // result[2] "=": {number of i in [0,n) with ids[i] outside [lo, hi) and != allowed, the first
  // such i or -1}. The op reads result back once and reports the first bad id.
  virtual void count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi,
                                 int64_t allowed, int64_t* result) = 0;
  virtual void widen_i32(const int32_t* x, int64_t* y, int64_t n) = 0;  // y[n] = x
  // y[rows, cols] = x shifted left by one along cols; the last column = fill (next-token labels).
  virtual void shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                              int64_t fill) = 0;
  // As cross_entropy_backward, with gloss[1] and count[1] read on the device (no host sync).
  virtual void cross_entropy_backward_dev(const float* logits, const int64_t* labels,
                                          const float* lse, const float* gloss,
                                          const int64_t* count, float* glogits, int64_t N,
                                          int64_t V, int64_t ignore_index) = 0;
  // y[n] = v[0] * factor (the gradient of a sum or mean, read on the device).
  virtual void fill_scaled(const float* v, float factor, float* y, int64_t n) = 0;
  virtual void scale(float* x, int64_t n, float factor) = 0;  // x[n] *= factor

  // ---- optimizer kernels (state is device tensors; scalars come from the host) ----
  // p, m, v [n] "=" (in place), g [n] read: one AdamW step (kernels/types.h: AdamWScalars).
  virtual void adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                            const AdamWScalars& s) = 0;
  // p [n] "=", buf [n] "=" (null without momentum; first: buf = decayed grad), g [n] read.
  virtual void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s,
                          bool decay, bool first, bool nesterov) = 0;
  // out[1] "=" the L2 norm of x[n], accumulated in double and rounded to f32.
  virtual void l2_norm(const float* x, int64_t n, float* out) = 0;

  // ---- fused causal attention (layouts and math in kernels/attention_shape.h) ----
  virtual int64_t attention_max_head_dim() const = 0;
  // out [B,H,Tq,Dh], lse [B,H,Tq] "="
  virtual void attention_forward(const AttentionShape& s, const AttentionParams& p, const float* q,
                                 const float* k, const float* v, const float* slopes, float* out,
                                 float* lse) = 0;
  // The same with bf16 q, k, v and Dh even (only where supports(Kernel::Attention, BF16)): QK^T
  // and PV on bf16 operands with f32 accumulation; softmax, dropout mask, lse and out f32.
  virtual void attention_forward_bf16(const AttentionShape& s, const AttentionParams& p,
                                      const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                      const float* slopes, float* out, float* lse) = 0;
  virtual int64_t attention_backward_workspace_size(const AttentionShape& s) = 0;  // floats
  // dq, dk, dv, dslopes (if both slopes and dslopes non-null) "="
  virtual void attention_backward(const AttentionShape& s, const AttentionParams& p, const float* q,
                                  const float* k, const float* v, const float* slopes,
                                  const float* out, const float* lse, const float* dout, float* dq,
                                  float* dk, float* dv, float* dslopes, float* workspace) = 0;
  // The same with bf16 q, k, v and Dh even (where supports(Kernel::Attention, BF16)), the same
  // workspace size: the products on bf16 operands with f32 accumulation, dslopes and grads f32.
  virtual void attention_backward_bf16(const AttentionShape& s, const AttentionParams& p,
                                       const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                       const float* slopes, const float* out, const float* lse,
                                       const float* dout, float* dq, float* dk, float* dv,
                                       float* dslopes, float* workspace) = 0;
};

}  // namespace fg::kernels
