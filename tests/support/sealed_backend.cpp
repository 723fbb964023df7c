#include "support/sealed_backend.h"

#include <cstring>

#include "core/error.h"

namespace fg::test_support {
namespace {

using kernels::Activation;
using kernels::BinaryOp;

// Device pointer -> the real address (null stays null: kernels take null for "absent").
template <class T>
T* u(T* p) {
  return p == nullptr ? nullptr
                      : reinterpret_cast<T*>(reinterpret_cast<uintptr_t>(p) - SealedBackend::kTag);
}

}  // namespace

void* SealedBackend::allocate(size_t bytes) {
  void* p = cpu_.allocate(bytes);
  if (p == nullptr) return nullptr;
  void* sealed = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(p) + kTag);
  if (recording_) recorded_blocks_.insert(sealed);
  return sealed;
}
void SealedBackend::deallocate(void* p, size_t bytes) {
  // A recording may address a block freed while recording or allocated then: such blocks stay
  // reserved until release_graph(), as a CUDA graph's do.
  if (p != nullptr && (recording_ || (has_graph_ && recorded_blocks_.count(p)))) {
    held_.emplace_back(p, bytes);
    return;
  }
  cpu_.deallocate(u(p), bytes);
}

void SealedBackend::run(std::function<void()> kernel) {
  if (recording_) {
    graph_.push_back(std::move(kernel));
  } else {
    kernel();
  }
}

void SealedBackend::refuse_while_recording(const char* call) const {
  if (recording_) throw Error(std::string("[sealed] ") + call + " while a graph is being recorded");
}

void SealedBackend::synchronize() {
  refuse_while_recording("synchronize");
  ++counters_.synchronizes;
}

void SealedBackend::begin_capture() {
  if (!graph_capture_ || has_graph_)
    throw Error("[sealed] begin_capture: capture is off or a graph already exists");
  recording_ = true;
  has_graph_ = true;
  graph_.clear();
}

void SealedBackend::end_capture() {
  if (!recording_) throw Error("[sealed] end_capture without begin_capture");
  recording_ = false;
  ++counters_.captures;
}

void SealedBackend::replay(uint64_t rng_shift) {
  if (!has_graph_ || recording_) throw Error("[sealed] replay: no complete graph");
  ++counters_.replays;
  rng_shift_ = rng_shift;
  for (const auto& kernel : graph_) kernel();
}

uint64_t SealedBackend::shift(bool recorded) const {
  return recorded ? rng_shift_ : 0;
}

kernels::FusedDropout SealedBackend::shifted(const kernels::FusedDropout& d, bool recorded) const {
  kernels::FusedDropout moved = d;
  moved.base += shift(recorded);
  return moved;
}

kernels::AttentionParams SealedBackend::shifted(const kernels::AttentionParams& p,
                                                bool recorded) const {
  kernels::AttentionParams moved = p;
  moved.rng_base += shift(recorded);
  return moved;
}

void SealedBackend::release_graph() {
  recording_ = false;
  has_graph_ = false;
  graph_.clear();
  for (const auto& [p, bytes] : held_) cpu_.deallocate(u(p), bytes);
  held_.clear();
  recorded_blocks_.clear();  // those still alive are freed normally later
}

void SealedBackend::copy_to_host(const void* src, void* host_dst, int64_t bytes) {
  refuse_while_recording("copy_to_host");
  ++counters_.copies_to_host;
  if (bytes > 0) std::memcpy(host_dst, u(src), static_cast<size_t>(bytes));
}
void SealedBackend::copy_from_host(const void* host_src, void* dst, int64_t bytes) {
  refuse_while_recording("copy_from_host");
  ++counters_.copies_from_host;
  if (bytes > 0) std::memcpy(u(dst), host_src, static_cast<size_t>(bytes));
}

void SealedBackend::fill(float* x, int64_t n, float v) {
  run([=, this] { cpu_.fill(u(x), n, v); });
}
void SealedBackend::copy(const void* src, void* dst, int64_t bytes) {
  run([=, this] { cpu_.copy(u(src), u(dst), bytes); });
}
void SealedBackend::strided_copy(const void* src, void* dst, int64_t outer, int64_t inner,
                                 int64_t src_stride, int64_t dst_stride, int64_t elem_bytes) {
  run([=, this] {
    cpu_.strided_copy(u(src), u(dst), outer, inner, src_stride, dst_stride, elem_bytes);
  });
}
void SealedBackend::permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
                            const int64_t* perm) {
  // shape and perm are host arrays: a recording keeps its own copies.
  std::vector<int64_t> s(shape, shape + ndim), q(perm, perm + ndim);
  run([=, this] { cpu_.permute(u(x), u(y), ndim, s.data(), q.data()); });
}
void SealedBackend::gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                         const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                         float* C, int64_t ldc) {
  run([=, this] {
    cpu_.gemm(trans_a, trans_b, M, N, K, alpha, u(A), lda, u(B), ldb, beta, u(C), ldc);
  });
}
void SealedBackend::convert(const void* src, DType from, void* dst, DType to, int64_t n) {
  run([=, this] { cpu_.convert(u(src), from, u(dst), to, n); });
}
void SealedBackend::gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                              float alpha, const BFloat16* A, int64_t lda, const BFloat16* B,
                              int64_t ldb, float beta, float* C, int64_t ldc) {
  run([=, this] {
    cpu_.gemm_bf16(trans_a, trans_b, M, N, K, alpha, u(A), lda, u(B), ldb, beta, u(C), ldc);
  });
}
void SealedBackend::broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) {
  run([=, this] { cpu_.broadcast_rows(u(b), u(y), rows, cols); });
}
void SealedBackend::bias_act_forward(Activation a, const float* b, float* pre, float* out,
                                     int64_t rows, int64_t cols) {
  run([=, this] { cpu_.bias_act_forward(a, u(b), u(pre), u(out), rows, cols); });
}
void SealedBackend::col_sum(const float* g, float* out, int64_t rows, int64_t cols,
                            bool accumulate) {
  run([=, this] { cpu_.col_sum(u(g), u(out), rows, cols, accumulate); });
}
void SealedBackend::binary_forward(BinaryOp op, const float* a, const float* b, float* out,
                                   int64_t n, int64_t nb) {
  run([=, this] { cpu_.binary_forward(op, u(a), u(b), u(out), n, nb); });
}
void SealedBackend::binary_backward(BinaryOp op, const float* a, const float* b, const float* g,
                                    float* ga, float* gb, int64_t n, int64_t nb) {
  run([=, this] { cpu_.binary_backward(op, u(a), u(b), u(g), u(ga), u(gb), n, nb); });
}
void SealedBackend::affine(const float* x, float* y, int64_t n, float alpha, float beta) {
  run([=, this] { cpu_.affine(u(x), u(y), n, alpha, beta); });
}
void SealedBackend::axpy(const float* x, float* y, int64_t n, float alpha) {
  run([=, this] { cpu_.axpy(u(x), u(y), n, alpha); });
}
void SealedBackend::sum(const float* x, int64_t n, float* out) {
  run([=, this] { cpu_.sum(u(x), n, u(out)); });
}
void SealedBackend::activation_forward(Activation a, const float* x, float* y, int64_t n) {
  run([=, this] { cpu_.activation_forward(a, u(x), u(y), n); });
}
void SealedBackend::activation_backward(Activation a, const float* x, const float* gy, float* gx,
                                        int64_t n) {
  run([=, this] { cpu_.activation_backward(a, u(x), u(gy), u(gx), n); });
}
void SealedBackend::glu_forward(Activation a, const float* value, const float* gate, float* y,
                                int64_t n, const kernels::FusedDropout& drop) {
  const bool recorded = recording_;
  run([=, this] { cpu_.glu_forward(a, u(value), u(gate), u(y), n, shifted(drop, recorded)); });
}
void SealedBackend::glu_backward(Activation a, const float* value, const float* gate,
                                 const float* gy, float* gvalue, float* ggate, int64_t n,
                                 const kernels::FusedDropout& drop) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.glu_backward(a, u(value), u(gate), u(gy), u(gvalue), u(ggate), n, shifted(drop, recorded));
  });
}
void SealedBackend::glu_forward_keep_bf16(Activation a, const float* value, const float* gate,
                                          float* y, BFloat16* value16, BFloat16* gate16, int64_t n,
                                          const kernels::FusedDropout& drop) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.glu_forward_keep_bf16(a, u(value), u(gate), u(y), u(value16), u(gate16), n,
                               shifted(drop, recorded));
  });
}
void SealedBackend::glu_backward_bf16(Activation a, const BFloat16* value16, const BFloat16* gate16,
                                      const float* gy, float* gvalue, float* ggate, int64_t n,
                                      const kernels::FusedDropout& drop) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.glu_backward_bf16(a, u(value16), u(gate16), u(gy), u(gvalue), u(ggate), n,
                           shifted(drop, recorded));
  });
}
void SealedBackend::dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed,
                                    uint64_t base) {
  const bool recorded = recording_;
  run([=, this] { cpu_.dropout_forward(u(x), u(y), n, p, seed, base + shift(recorded)); });
}
void SealedBackend::dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                                     uint64_t base) {
  const bool recorded = recording_;
  run([=, this] { cpu_.dropout_backward(u(gy), u(gx), n, p, seed, base + shift(recorded)); });
}
void SealedBackend::layer_norm_forward(const float* x, const float* w, const float* b, float* y,
                                       float* mean, float* rstd, int64_t rows, int64_t D,
                                       float eps) {
  run([=, this] {
    cpu_.layer_norm_forward(u(x), u(w), u(b), u(y), u(mean), u(rstd), rows, D, eps);
  });
}
void SealedBackend::layer_norm_backward(const float* x, const float* w, const float* mean,
                                        const float* rstd, const float* gy, float* gx, float* gw,
                                        float* gb, int64_t rows, int64_t D) {
  run([=, this] {
    cpu_.layer_norm_backward(u(x), u(w), u(mean), u(rstd), u(gy), u(gx), u(gw), u(gb), rows, D);
  });
}
void SealedBackend::rms_norm_forward(const float* x, const float* w, float* y, float* rstd,
                                     int64_t rows, int64_t D, float eps) {
  run([=, this] { cpu_.rms_norm_forward(u(x), u(w), u(y), u(rstd), rows, D, eps); });
}
void SealedBackend::rms_norm_backward(const float* x, const float* w, const float* rstd,
                                      const float* gy, float* gx, float* gw, int64_t rows,
                                      int64_t D) {
  run([=, this] { cpu_.rms_norm_backward(u(x), u(w), u(rstd), u(gy), u(gx), u(gw), rows, D); });
}
void SealedBackend::softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  run([=, this] { cpu_.softmax_forward(u(x), u(y), rows, D); });
}
void SealedBackend::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                     int64_t D) {
  run([=, this] { cpu_.softmax_backward(u(y), u(gy), u(gx), rows, D); });
}
void SealedBackend::log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  run([=, this] { cpu_.log_softmax_forward(u(x), u(y), rows, D); });
}
void SealedBackend::log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                         int64_t D) {
  run([=, this] { cpu_.log_softmax_backward(u(y), u(gy), u(gx), rows, D); });
}
void SealedBackend::cross_entropy_forward(const float* logits, const int64_t* labels, float* lse,
                                          float* loss, int64_t* count, int64_t N, int64_t V,
                                          int64_t ignore_index) {
  run([=, this] {
    cpu_.cross_entropy_forward(u(logits), u(labels), u(lse), u(loss), u(count), N, V, ignore_index);
  });
}
void SealedBackend::cross_entropy_backward(const float* logits, const int64_t* labels,
                                           const float* lse, float gloss, int64_t count,
                                           float* glogits, int64_t N, int64_t V,
                                           int64_t ignore_index) {
  run([=, this] {
    cpu_.cross_entropy_backward(u(logits), u(labels), u(lse), gloss, count, u(glogits), N, V,
                                ignore_index);
  });
}
void SealedBackend::embedding_forward(const float* weight, const int64_t* ids, float* out,
                                      int64_t n, int64_t D) {
  run([=, this] { cpu_.embedding_forward(u(weight), u(ids), u(out), n, D); });
}
void SealedBackend::embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n,
                                       int64_t V, int64_t D) {
  run([=, this] { cpu_.embedding_backward(u(ids), u(gy), u(gw), n, V, D); });
}
void SealedBackend::count_invalid_ids(const int64_t* ids, int64_t n, int64_t lo, int64_t hi,
                                      int64_t allowed, int64_t* result) {
  run([=, this] { cpu_.count_invalid_ids(u(ids), n, lo, hi, allowed, u(result)); });
}
void SealedBackend::widen_i32(const int32_t* x, int64_t* y, int64_t n) {
  run([=, this] { cpu_.widen_i32(u(x), u(y), n); });
}
void SealedBackend::shift_left_i64(const int64_t* x, int64_t* y, int64_t rows, int64_t cols,
                                   int64_t fill) {
  run([=, this] { cpu_.shift_left_i64(u(x), u(y), rows, cols, fill); });
}
void SealedBackend::cross_entropy_backward_dev(const float* logits, const int64_t* labels,
                                               const float* lse, const float* gloss,
                                               const int64_t* count, float* glogits, int64_t N,
                                               int64_t V, int64_t ignore_index) {
  run([=, this] {
    cpu_.cross_entropy_backward_dev(u(logits), u(labels), u(lse), u(gloss), u(count), u(glogits), N,
                                    V, ignore_index);
  });
}
void SealedBackend::fill_scaled(const float* v, float factor, float* y, int64_t n) {
  run([=, this] { cpu_.fill_scaled(u(v), factor, u(y), n); });
}
void SealedBackend::scale(float* x, int64_t n, float factor) {
  run([=, this] { cpu_.scale(u(x), n, factor); });
}
void SealedBackend::adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                                 const kernels::AdamWScalars& s) {
  run([=, this] { cpu_.adamw_update(u(p), u(g), u(m), u(v), n, s); });
}
void SealedBackend::sgd_update(float* p, const float* g, float* buf, int64_t n,
                               const kernels::SGDScalars& s, bool decay, bool first,
                               bool nesterov) {
  run([=, this] { cpu_.sgd_update(u(p), u(g), u(buf), n, s, decay, first, nesterov); });
}
void SealedBackend::l2_norm(const float* x, int64_t n, float* out) {
  run([=, this] { cpu_.l2_norm(u(x), n, u(out)); });
}
void SealedBackend::attention_forward(const kernels::AttentionShape& s,
                                      const kernels::AttentionParams& p, const float* q,
                                      const float* k, const float* v, const float* slopes,
                                      float* out, float* lse) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.attention_forward(s, shifted(p, recorded), u(q), u(k), u(v), u(slopes), u(out), u(lse));
  });
}
void SealedBackend::attention_forward_bf16(const kernels::AttentionShape& s,
                                           const kernels::AttentionParams& p, const BFloat16* q,
                                           const BFloat16* k, const BFloat16* v,
                                           const float* slopes, float* out, float* lse) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.attention_forward_bf16(s, shifted(p, recorded), u(q), u(k), u(v), u(slopes), u(out),
                                u(lse));
  });
}
void SealedBackend::attention_backward(const kernels::AttentionShape& s,
                                       const kernels::AttentionParams& p, const float* q,
                                       const float* k, const float* v, const float* slopes,
                                       const float* out, const float* lse, const float* dout,
                                       float* dq, float* dk, float* dv, float* dslopes,
                                       float* workspace) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.attention_backward(s, shifted(p, recorded), u(q), u(k), u(v), u(slopes), u(out), u(lse),
                            u(dout), u(dq), u(dk), u(dv), u(dslopes), u(workspace));
  });
}
void SealedBackend::attention_backward_bf16(const kernels::AttentionShape& s,
                                            const kernels::AttentionParams& p, const BFloat16* q,
                                            const BFloat16* k, const BFloat16* v,
                                            const float* slopes, const float* out, const float* lse,
                                            const float* dout, float* dq, float* dk, float* dv,
                                            float* dslopes, float* workspace) {
  const bool recorded = recording_;
  run([=, this] {
    cpu_.attention_backward_bf16(s, shifted(p, recorded), u(q), u(k), u(v), u(slopes), u(out),
                                 u(lse), u(dout), u(dq), u(dk), u(dv), u(dslopes), u(workspace));
  });
}

SealedRuntime::SealedRuntime() {
  auto sealed = std::make_unique<SealedBackend>();
  sealed_ = sealed.get();
  runtime_.register_backend(Device::Kind::CUDA, std::move(sealed), 1);
}

}  // namespace fg::test_support
