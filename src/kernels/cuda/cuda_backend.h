#pragma once
// The CUDA implementation of Backend for one GPU. Every kernel runs on the backend's own stream,
// in issue order, so ops need no synchronisation between kernels; copies to the host wait for
// that stream. Memory comes from a stream-ordered pool (cudaMallocAsync) that keeps freed blocks
// for reuse, so a steady-state training step allocates nothing from the driver.
//
// The kernels follow the CPU versions' semantics (kernels/ref/ and kernels/cpu/): "=" versus
// "+=", counted rows, the dropout mask from core/rng.h's random_bits (the same function, so masks
// are bit-identical). The fused attention (cuda_attention*.cu) is f32 on CUDA cores, and with
// bf16 q, k, v on tensor cores (cuda_attention_bf16*.cu).
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <unordered_set>
#include <vector>

#include "kernels/backend.h"
#include "kernels/capabilities.h"

namespace fg::kernels::cuda {

class CudaBackend final : public Backend, public Tf32Mode, public GraphCapture {
 public:
  explicit CudaBackend(int device);  // makes `device` current on the calling thread
  ~CudaBackend() override;
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }
  // f32 GEMMs may use TF32 tensor cores (10-bit mantissa inputs, f32 accumulation).
  void set_tf32(bool on) override { tf32_ = on; }
  bool tf32() const { return tf32_; }

  // ---- memory ----
  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) override;
  AllocatorStats allocator_stats() const override;
  void empty_cache() override;
  void set_num_threads(int n) override { threads_ = n > 0 ? n : 1; }  // host threads: unused
  int num_threads() const override { return threads_; }

  // f32 everywhere; bf16 also for GEMMs (gemm_bf16) and the fused attention (attention_*_bf16);
  // bf16/f16 as storage (convert). The ops refuse anything else by asking supports().
  bool supports(Kernel k, DType t) const override;
  void convert(const void* src, DType from, void* dst, DType to, int64_t n) override;

  void copy_to_host(const void* src, void* host_dst, int64_t bytes) override;
  void copy_from_host(const void* host_src, void* dst, int64_t bytes) override;
  void synchronize() override;

  // Graph capture on the backend's stream (cuda_graph.cpp): cudaStreamBeginCapture /
  // EndCapture / GraphInstantiate / GraphLaunch. Allocations while recording become the graph's
  // memory nodes (fixed addresses for the graph's life); frees while recording, and of those
  // nodes while the graph exists, are held back until release_graph(), so no recorded address
  // is handed out again.
  void begin_capture() override;
  void end_capture() override;
  void replay(uint64_t rng_shift) override;
  void release_graph() override;

  // ---- data movement ----
  void fill(float* x, int64_t n, float v) override;
  void copy(const void* src, void* dst, int64_t bytes) override;
  void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                    int64_t dst_stride, int64_t elem_bytes) override;
  void permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
               const int64_t* perm) override;

  // ---- GEMM (cuBLASLt) ----
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

  // ---- elementwise ----
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

  // ---- normalisation ----
  void layer_norm_forward(const float* x, const float* w, const float* b, float* y, float* mean,
                          float* rstd, int64_t rows, int64_t D, float eps) override;
  void layer_norm_backward(const float* x, const float* w, const float* mean, const float* rstd,
                           const float* gy, float* gx, float* gw, float* gb, int64_t rows,
                           int64_t D) override;
  void rms_norm_forward(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                        int64_t D, float eps) override;
  void rms_norm_backward(const float* x, const float* w, const float* rstd, const float* gy,
                         float* gx, float* gw, int64_t rows, int64_t D) override;

  // ---- softmax family ----
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

  // ---- embedding, id checks, labels ----
  void embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n,
                         int64_t D) override;
  void embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n, int64_t V,
                          int64_t D) override;
  void count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi, int64_t allowed,
                         int64_t* result) override;
  void widen_i32(const int32_t* x, int64_t* y, int64_t n) override;
  void shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                      int64_t fill) override;
  void cross_entropy_backward_dev(const float* logits, const int64_t* labels, const float* lse,
                                  const float* gloss, const int64_t* count, float* glogits,
                                  int64_t N, int64_t V, int64_t ignore_index) override;
  void fill_scaled(const float* v, float factor, float* y, int64_t n) override;
  void scale(float* x, int64_t n, float factor) override;

  // ---- optimizers ----
  void adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                    const AdamWScalars& s) override;
  void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool decay,
                  bool first, bool nesterov) override;
  void l2_norm(const float* x, int64_t n, float* out) override;

  // ---- fused attention, f32 on CUDA cores (cuda_attention.cu, cuda_attention_backward.cu) and
  // bf16 on tensor cores (cuda_attention_bf16.cu, cuda_attention_bf16_backward.cu) ----
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
  void note_allocation(size_t bytes);
  void refuse_while_capturing(const char* call) const;  // host syncs break a recording
  // C[M,N] = alpha op(A) op(B) + beta C through cuBLASLt; A and B of type `operands`, C f32.
  void lt_matmul(cublasComputeType_t compute, cudaDataType_t operands, bool trans_a, bool trans_b,
                 int64_t M, int64_t N, int64_t K, float alpha, const void* A, int64_t lda,
                 const void* B, int64_t ldb, float beta, float* C, int64_t ldc);
  void scale_output(float* C, int64_t M, int64_t N, int64_t ldc, float beta);

  int device_ = 0;
  int threads_ = 1;
  bool tf32_ = false;
  cudaStream_t stream_ = nullptr;
  cudaMemPool_t pool_ = nullptr;
  cublasLtHandle_t lt_ = nullptr;
  void* gemm_workspace_ = nullptr;
  size_t gemm_workspace_bytes_ = 0;
  AllocatorStats stats_;
  // Kernels that draw dropout counters read the replay's shift from here on the device, when
  // they are recorded (rng_shift_arg()); kernels run outside a recording get null (no shift).
  const uint64_t* rng_shift_arg() const { return capturing_ ? rng_shift_ : nullptr; }
  void set_rng_shift(uint64_t shift);  // a one-thread kernel on the stream (cuda_elementwise.cu)
  uint64_t* rng_shift_ = nullptr;
  bool capturing_ = false;
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t graph_exec_ = nullptr;
  std::unordered_set<void*> graph_blocks_;  // the recording's memory nodes
  std::vector<void*> held_;  // freed while the graph needs them; freed by release_graph()
};

}  // namespace fg::kernels::cuda
