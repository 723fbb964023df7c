#pragma once
// A second backend for tests: "device memory" the host cannot read. It runs the CPU kernels on
// memory from its own CpuBackend, but hands out every pointer moved by a tag (bit 55): an address
// that is non-canonical on x86-64 and outside the user address range on AArch64, so any host
// dereference of a sealed tensor's data faults (the test crashes) instead of silently working.
// Only its own methods remove the tag, so host code can read this memory only through
// copy_to_host / copy_from_host, which it counts. Registered as Device::Kind::CUDA by
// SealedRuntime, it stands in for a GPU: the op table, a training step and the golden model run
// on it against the CPU.
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_set>
#include <vector>

#include "kernels/backend.h"
#include "kernels/capabilities.h"
#include "kernels/cpu/cpu_backend.h"
#include "tensor/runtime.h"

namespace fg::test_support {

struct SealedCounters {
  int64_t copies_to_host = 0;  // host reads (item, to_vector, id checks, optimizer state export)
  int64_t copies_from_host = 0;
  int64_t synchronizes = 0;
  int64_t captures = 0;  // completed recordings (end_capture)
  int64_t replays = 0;
};

class SealedBackend final : public kernels::Backend, public kernels::GraphCapture {
 public:
  static constexpr uintptr_t kTag = uintptr_t{1} << 55;
  const SealedCounters& counters() const { return counters_; }
  void reset_counters() { counters_ = {}; }

  void* allocate(size_t bytes) override;
  void deallocate(void* p, size_t bytes) override;
  kernels::AllocatorStats allocator_stats() const override { return cpu_.allocator_stats(); }
  void empty_cache() override { cpu_.empty_cache(); }
  void set_num_threads(int n) override { cpu_.set_num_threads(n); }
  int num_threads() const override { return cpu_.num_threads(); }
  bool supports(kernels::Kernel k, DType t) const override { return cpu_.supports(k, t); }
  void convert(const void* src, DType from, void* dst, DType to, int64_t n) override;
  void gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                 const BFloat16* A, int64_t lda, const BFloat16* B, int64_t ldb, float beta,
                 float* C, int64_t ldc) override;

  void copy_to_host(const void* src, void* host_dst, int64_t bytes) override;
  void copy_from_host(const void* host_src, void* dst, int64_t bytes) override;
  void synchronize() override;

  // Graph capture as CUDA does it, off unless a test turns it on: while recording, kernels are
  // recorded (with their arguments) and not run, host copies and synchronize() throw, and freed
  // memory stays reserved until release_graph(); replay() runs the recorded kernels again, their
  // dropout counters moved on by its rng_shift (as the CUDA backend does on the device).
  void enable_graph_capture(bool on) { graph_capture_ = on; }
  bool can_capture() const override { return graph_capture_; }
  void begin_capture() override;
  void end_capture() override;
  void replay(uint64_t rng_shift) override;
  void release_graph() override;

  void fill(float* x, int64_t n, float v) override;
  void copy(const void* src, void* dst, int64_t bytes) override;
  void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                    int64_t dst_stride, int64_t elem_bytes) override;
  void permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
               const int64_t* perm) override;
  void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
            const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
            int64_t ldc) override;
  void broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) override;
  void bias_act_forward(kernels::Activation a, const float* b, float* pre, float* out, int64_t rows,
                        int64_t cols) override;
  void col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) override;
  void binary_forward(kernels::BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                      int64_t nb) override;
  void binary_backward(kernels::BinaryOp op, const float* a, const float* b, const float* g,
                       float* ga, float* gb, int64_t n, int64_t nb) override;
  void affine(const float* x, float* y, int64_t n, float alpha, float beta) override;
  void axpy(const float* x, float* y, int64_t n, float alpha) override;
  void sum(const float* x, int64_t n, float* out) override;
  void activation_forward(kernels::Activation a, const float* x, float* y, int64_t n) override;
  void activation_backward(kernels::Activation a, const float* x, const float* gy, float* gx,
                           int64_t n) override;
  void glu_forward(kernels::Activation a, const float* value, const float* gate, float* y,
                   int64_t n, const kernels::FusedDropout& drop) override;
  void glu_forward_keep_bf16(kernels::Activation a, const float* value, const float* gate, float* y,
                             BFloat16* value16, BFloat16* gate16, int64_t n,
                             const kernels::FusedDropout& drop) override;
  void glu_backward_bf16(kernels::Activation a, const BFloat16* value16, const BFloat16* gate16,
                         const float* gy, float* gvalue, float* ggate, int64_t n,
                         const kernels::FusedDropout& drop) override;
  void glu_backward(kernels::Activation a, const float* value, const float* gate, const float* gy,
                    float* gvalue, float* ggate, int64_t n,
                    const kernels::FusedDropout& drop) override;
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
  void adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                    const kernels::AdamWScalars& s) override;
  void sgd_update(float* p, const float* g, float* buf, int64_t n, const kernels::SGDScalars& s,
                  bool decay, bool first, bool nesterov) override;
  void l2_norm(const float* x, int64_t n, float* out) override;
  int64_t attention_max_head_dim() const override { return cpu_.attention_max_head_dim(); }
  void attention_forward(const kernels::AttentionShape& s, const kernels::AttentionParams& p,
                         const float* q, const float* k, const float* v, const float* slopes,
                         float* out, float* lse) override;
  void attention_forward_bf16(const kernels::AttentionShape& s, const kernels::AttentionParams& p,
                              const BFloat16* q, const BFloat16* k, const BFloat16* v,
                              const float* slopes, float* out, float* lse) override;
  int64_t attention_backward_workspace_size(const kernels::AttentionShape& s) override {
    return cpu_.attention_backward_workspace_size(s);
  }
  void attention_backward(const kernels::AttentionShape& s, const kernels::AttentionParams& p,
                          const float* q, const float* k, const float* v, const float* slopes,
                          const float* out, const float* lse, const float* dout, float* dq,
                          float* dk, float* dv, float* dslopes, float* workspace) override;
  void attention_backward_bf16(const kernels::AttentionShape& s, const kernels::AttentionParams& p,
                               const BFloat16* q, const BFloat16* k, const BFloat16* v,
                               const float* slopes, const float* out, const float* lse,
                               const float* dout, float* dq, float* dk, float* dv, float* dslopes,
                               float* workspace) override;

 private:
  void run(std::function<void()> kernel);  // now, or into the recording
  void refuse_while_recording(const char* call) const;
  // The dropout counters' shift for a kernel recorded (true) or run now (false: never shifted).
  uint64_t shift(bool recorded) const;
  kernels::AttentionParams shifted(const kernels::AttentionParams& p, bool recorded) const;
  kernels::FusedDropout shifted(const kernels::FusedDropout& d, bool recorded) const;

  kernels::cpu::CpuBackend cpu_;  // its own arena: sealed memory never mixes with the CPU's
  SealedCounters counters_;
  bool graph_capture_ = false;
  bool recording_ = false;
  std::vector<std::function<void()>> graph_;
  std::unordered_set<void*> recorded_blocks_;  // allocated while recording
  std::vector<std::pair<void*, size_t>>
      held_;  // freed while a graph needs them: kept until release
  bool has_graph_ = false;
  uint64_t rng_shift_ = 0;  // the running replay's
};

// A Runtime whose CUDA slot (one device, cuda:0) is a SealedBackend. Make it first in a test (or
// fixture) so it outlives the tensors the test makes.
class SealedRuntime {
 public:
  SealedRuntime();
  static Device device() { return Device::cuda(0); }
  SealedBackend& sealed() { return *sealed_; }

 private:
  Runtime runtime_;
  SealedBackend* sealed_;  // owned by runtime_
};

}  // namespace fg::test_support
