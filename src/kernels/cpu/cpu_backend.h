#pragma once
// The CPU implementation of Backend: a caching allocator plus the OpenMP kernels in this folder,
// compiled once per ISA; the constructor picks the copy this CPU runs best (isa.h).
#include "kernels/backend.h"
#include "kernels/cpu/caching_allocator.h"
#include "kernels/cpu/isa.h"

namespace fg::kernels::cpu {

class CpuBackend final : public Backend {
 public:
  // The ISA from FORGATHER_ISA or CPUID; throws fg::Error for an ISA the CPU lacks.
  CpuBackend();
  explicit CpuBackend(Isa isa);

  Isa isa() const { return isa_; }

  void* allocate(size_t bytes) override { return alloc_.allocate(bytes); }
  void deallocate(void* p, size_t bytes) override { alloc_.deallocate(p, bytes); }
  AllocatorStats allocator_stats() const override { return alloc_.stats(); }
  void empty_cache() override { alloc_.empty_cache(); }
  void set_num_threads(int n) override;
  int num_threads() const override { return threads_; }

  bool supports(Kernel k, DType t) const override;
  void convert(const void* src, DType from, void* dst, DType to, int64_t n) override;
  void fill(float* x, int64_t n, float v) override;
  void copy(const void* src, void* dst, int64_t bytes) override;
  void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                    int64_t dst_stride, int64_t elem_bytes) override;
  void permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
               const int64_t* perm) override;
  void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
            const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
            int64_t ldc) override;
  void gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                 const BFloat16* A, int64_t lda, const BFloat16* B, int64_t ldb, float beta,
                 float* C, int64_t ldc) override;
  void broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) override;
  void bias_act_forward(Activation a, const float* b, float* pre, float* out, int64_t rows,
                        int64_t cols) override;
  void col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) override;
  void binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                      int64_t nb) override;
  void binary_backward(BinaryOp op, const float* a, const float* b, const float* g, float* ga,
                       float* gb, int64_t n, int64_t nb) override;
  void affine(const float* x, float* y, int64_t n, float alpha, float beta) override;
  void axpy(const float* x, float* y, int64_t n, float alpha) override;
  void sum(const float* x, int64_t n, float* out) override;
  void activation_forward(Activation a, const float* x, float* y, int64_t n) override;
  void activation_backward(Activation a, const float* x, const float* gy, float* gx,
                           int64_t n) override;
  void glu_forward(Activation a, const float* value, const float* gate, float* y, int64_t n,
                   const FusedDropout& drop) override;
  void glu_forward_keep_bf16(Activation a, const float* value, const float* gate, float* y,
                             BFloat16* value16, BFloat16* gate16, int64_t n,
                             const FusedDropout& drop) override;
  void glu_backward_bf16(Activation a, const BFloat16* value16, const BFloat16* gate16,
                         const float* gy, float* gvalue, float* ggate, int64_t n,
                         const FusedDropout& drop) override;
  void glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                    float* gvalue, float* ggate, int64_t n, const FusedDropout& drop) override;
  void dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed,
                       uint64_t base) override;
  void dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                        uint64_t base) override;
  void layer_norm_forward(const float* x, const float* w, const float* b, float* y, float* mean,
                          float* rstd, int64_t rows, int64_t D, float eps) override;
  void layer_norm_backward(const float* x, const float* w, const float* mean, const float* rstd,
                           const float* gy, float* gx, float* gw, float* gb, int64_t rows,
                           int64_t D) override;
  void rms_norm_forward(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                        int64_t D, float eps) override;
  void rms_norm_backward(const float* x, const float* w, const float* rstd, const float* gy,
                         float* gx, float* gw, int64_t rows, int64_t D) override;
  void softmax_forward(const float* x, float* y, int64_t rows, int64_t D) override;
  void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                        int64_t D) override;
  void log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) override;
  void log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                            int64_t D) override;
  void cross_entropy_forward(const float* logits, const int64_t* labels, float* lse, float* loss,
                             int64_t* count, int64_t N, int64_t V, int64_t ignore_index) override;
  void cross_entropy_backward(const float* logits, const int64_t* labels, const float* lse,
                              float gloss, int64_t count, float* glogits, int64_t N, int64_t V,
                              int64_t ignore_index) override;
  void embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n,
                         int64_t D) override;
  void embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n, int64_t V,
                          int64_t D) override;

  // Host <-> device and the device-side checks: cpu_backend_device.cpp (host memory is device
  // memory here, so copies are memcpy and synchronize has nothing to wait for).
  void copy_to_host(const void* src, void* host_dst, int64_t bytes) override;
  void copy_from_host(const void* host_src, void* dst, int64_t bytes) override;
  void synchronize() override {}
  void count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi, int64_t allowed,
                         int64_t* result) override;
  void widen_i32(const int32_t* x, int64_t* y, int64_t n) override;
  void shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                      int64_t fill) override;
  void cross_entropy_backward_dev(const float* logits, const int64_t* labels, const float* lse,
                                  const float* gloss, const int64_t* count, float* glogits,
                                  int64_t N, int64_t V, int64_t ignore_index) override;
  void fill_scaled(const float* v, float factor, float* y, int64_t n) override;
  // Optimizer kernels: optimizer_kernels.cpp.
  void scale(float* x, int64_t n, float factor) override;
  void adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                    const AdamWScalars& s) override;
  void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool decay,
                  bool first, bool nesterov) override;
  void l2_norm(const float* x, int64_t n, float* out) override;

  int64_t attention_max_head_dim() const override;
  void attention_forward(const AttentionShape& s, const AttentionParams& p, const float* q,
                         const float* k, const float* v, const float* slopes, float* out,
                         float* lse) override;
  void attention_forward_bf16(const AttentionShape& s, const AttentionParams& p, const BFloat16* q,
                              const BFloat16* k, const BFloat16* v, const float* slopes, float* out,
                              float* lse) override;
  int64_t attention_backward_workspace_size(const AttentionShape& s) override;
  void attention_backward(const AttentionShape& s, const AttentionParams& p, const float* q,
                          const float* k, const float* v, const float* slopes, const float* out,
                          const float* lse, const float* dout, float* dq, float* dk, float* dv,
                          float* dslopes, float* workspace) override;
  void attention_backward_bf16(const AttentionShape& s, const AttentionParams& p, const BFloat16* q,
                               const BFloat16* k, const BFloat16* v, const float* slopes,
                               const float* out, const float* lse, const float* dout, float* dq,
                               float* dk, float* dv, float* dslopes, float* workspace) override;

 private:
  // Throws unless this copy has the bf16 attention kernels and head_dim is even.
  void check_bf16_attention(const AttentionShape& s) const;

  CachingAllocator alloc_;
  int threads_ = 1;
  Isa isa_;
  const KernelTable& k_;
};

}  // namespace fg::kernels::cpu
