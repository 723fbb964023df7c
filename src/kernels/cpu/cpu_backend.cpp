#include "kernels/cpu/cpu_backend.h"

#include <omp.h>

#include <cstring>

#include "core/check.h"
#include "kernels/cpu/gemm.h"

namespace fg::kernels::cpu {

CpuBackend::CpuBackend() : CpuBackend(isa_from_environment()) {}

CpuBackend::CpuBackend(Isa isa) : isa_(isa), k_(kernels_for(isa)) {
  set_num_threads(omp_get_max_threads());
}

void CpuBackend::set_num_threads(int n) {
  threads_ = n < 1 ? 1 : n;
  omp_set_num_threads(threads_);
  // GEMM runs outside OpenMP regions, so giving it the same count never oversubscribes.
  gemm_set_num_threads(threads_);
}

bool CpuBackend::supports(Kernel k, DType t) const {
  switch (k) {
    case Kernel::Convert:
      return is_floating(t);
    case Kernel::Gemm:
      // bf16: oneDNN's matmul where it has a fast path for the CPU, else operands converted to
      // f32 (gemm_bf16), so every ISA copy takes bf16; f16 GEMMs are not implemented.
      return t == DType::F32 || t == DType::BF16;
    case Kernel::Attention:
      // bf16: vdpbf16ps, so only the copies built with AVX512-BF16 (attention_forward_bf16).
      return t == DType::F32 || (t == DType::BF16 && k_.attention_forward_bf16 != nullptr);
    default:
      return t == DType::F32;
  }
}

void CpuBackend::convert(const void* src, DType from, void* dst, DType to, int64_t n) {
  k_.convert(src, from, dst, to, n);
}

void CpuBackend::fill(float* x, int64_t n, float v) {
  k_.fill(x, n, v);
}
void CpuBackend::copy(const void* src, void* dst, int64_t bytes) {
  k_.strided_copy(src, dst, 1, bytes, 0, 0, 1);  // splits into blocks across threads
}
void CpuBackend::strided_copy(const void* src, void* dst, int64_t outer, int64_t inner,
                              int64_t src_stride, int64_t dst_stride, int64_t elem_bytes) {
  k_.strided_copy(src, dst, outer, inner, src_stride, dst_stride, elem_bytes);
}
void CpuBackend::permute(const float* x, float* y, int64_t ndim, const int64_t* shape,
                         const int64_t* perm) {
  k_.permute(x, y, ndim, shape, perm);
}
void CpuBackend::gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                      const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                      float* C, int64_t ldc) {
  cpu::gemm(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
void CpuBackend::gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                           const BFloat16* A, int64_t lda, const BFloat16* B, int64_t ldb,
                           float beta, float* C, int64_t ldc) {
  const auto* a16 = reinterpret_cast<const uint16_t*>(A);
  const auto* b16 = reinterpret_cast<const uint16_t*>(B);
  if (cpu::gemm_bf16(trans_a, trans_b, M, N, K, alpha, a16, lda, b16, ldb, beta, C, ldc)) return;
  // No fast bf16 path: widen both operands (exactly) into scratch and run the f32 GEMM.
  auto span = [](int64_t rows, int64_t cols, int64_t ld) { return (rows - 1) * ld + cols; };
  const int64_t na = trans_a ? span(K, M, lda) : span(M, K, lda);
  const int64_t nb = trans_b ? span(N, K, ldb) : span(K, N, ldb);
  const size_t bytes = static_cast<size_t>(na + nb) * sizeof(float);
  auto* wide = static_cast<float*>(allocate(bytes));
  convert(A, DType::BF16, wide, DType::F32, na);
  convert(B, DType::BF16, wide + na, DType::F32, nb);
  cpu::gemm(trans_a, trans_b, M, N, K, alpha, wide, lda, wide + na, ldb, beta, C, ldc);
  deallocate(wide, bytes);
}
void CpuBackend::broadcast_rows(const float* b, float* y, int64_t rows, int64_t cols) {
  k_.broadcast_rows(b, y, rows, cols);
}
void CpuBackend::bias_act_forward(Activation a, const float* b, float* pre, float* out,
                                  int64_t rows, int64_t cols) {
  k_.bias_act_forward(a, b, pre, out, rows, cols);
}
void CpuBackend::col_sum(const float* g, float* out, int64_t rows, int64_t cols, bool accumulate) {
  k_.col_sum(g, out, rows, cols, accumulate);
}
void CpuBackend::binary_forward(BinaryOp op, const float* a, const float* b, float* out, int64_t n,
                                int64_t nb) {
  k_.binary_forward(op, a, b, out, n, nb);
}
void CpuBackend::binary_backward(BinaryOp op, const float* a, const float* b, const float* g,
                                 float* ga, float* gb, int64_t n, int64_t nb) {
  k_.binary_backward(op, a, b, g, ga, gb, n, nb);
}
void CpuBackend::affine(const float* x, float* y, int64_t n, float alpha, float beta) {
  k_.affine(x, y, n, alpha, beta);
}
void CpuBackend::axpy(const float* x, float* y, int64_t n, float alpha) {
  k_.axpy(x, y, n, alpha);
}
void CpuBackend::sum(const float* x, int64_t n, float* out) {
  k_.sum(x, n, out);
}
void CpuBackend::activation_forward(Activation a, const float* x, float* y, int64_t n) {
  k_.activation_forward(a, x, y, n);
}
void CpuBackend::activation_backward(Activation a, const float* x, const float* gy, float* gx,
                                     int64_t n) {
  k_.activation_backward(a, x, gy, gx, n);
}
void CpuBackend::glu_forward(Activation a, const float* value, const float* gate, float* y,
                             int64_t n, const FusedDropout& drop) {
  k_.glu_forward(a, value, gate, y, n, drop);
}
void CpuBackend::glu_backward(Activation a, const float* value, const float* gate, const float* gy,
                              float* gvalue, float* ggate, int64_t n, const FusedDropout& drop) {
  k_.glu_backward(a, value, gate, gy, gvalue, ggate, n, drop);
}
void CpuBackend::glu_forward_keep_bf16(Activation a, const float* value, const float* gate,
                                       float* y, BFloat16* value16, BFloat16* gate16, int64_t n,
                                       const FusedDropout& drop) {
  k_.glu_forward_keep_bf16(a, value, gate, y, reinterpret_cast<uint16_t*>(value16),
                           reinterpret_cast<uint16_t*>(gate16), n, drop);
}
void CpuBackend::glu_backward_bf16(Activation a, const BFloat16* value16, const BFloat16* gate16,
                                   const float* gy, float* gvalue, float* ggate, int64_t n,
                                   const FusedDropout& drop) {
  k_.glu_backward_bf16(a, reinterpret_cast<const uint16_t*>(value16),
                       reinterpret_cast<const uint16_t*>(gate16), gy, gvalue, ggate, n, drop);
}
void CpuBackend::dropout_forward(const float* x, float* y, int64_t n, float p, uint64_t seed,
                                 uint64_t base) {
  k_.dropout_forward(x, y, n, p, seed, base);
}
void CpuBackend::dropout_backward(const float* gy, float* gx, int64_t n, float p, uint64_t seed,
                                  uint64_t base) {
  k_.dropout_backward(gy, gx, n, p, seed, base);
}
void CpuBackend::layer_norm_forward(const float* x, const float* w, const float* b, float* y,
                                    float* mean, float* rstd, int64_t rows, int64_t D, float eps) {
  k_.layer_norm_forward(x, w, b, y, mean, rstd, rows, D, eps);
}
void CpuBackend::layer_norm_backward(const float* x, const float* w, const float* mean,
                                     const float* rstd, const float* gy, float* gx, float* gw,
                                     float* gb, int64_t rows, int64_t D) {
  k_.layer_norm_backward(x, w, mean, rstd, gy, gx, gw, gb, rows, D);
}
void CpuBackend::rms_norm_forward(const float* x, const float* w, float* y, float* rstd,
                                  int64_t rows, int64_t D, float eps) {
  k_.rms_norm_forward(x, w, y, rstd, rows, D, eps);
}
void CpuBackend::rms_norm_backward(const float* x, const float* w, const float* rstd,
                                   const float* gy, float* gx, float* gw, int64_t rows, int64_t D) {
  k_.rms_norm_backward(x, w, rstd, gy, gx, gw, rows, D);
}
void CpuBackend::softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  k_.softmax_forward(x, y, rows, D);
}
void CpuBackend::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                  int64_t D) {
  k_.softmax_backward(y, gy, gx, rows, D);
}
void CpuBackend::log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  k_.log_softmax_forward(x, y, rows, D);
}
void CpuBackend::log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                      int64_t D) {
  k_.log_softmax_backward(y, gy, gx, rows, D);
}
void CpuBackend::cross_entropy_forward(const float* logits, const int64_t* labels, float* lse,
                                       float* loss, int64_t* count, int64_t N, int64_t V,
                                       int64_t ignore_index) {
  k_.cross_entropy_forward(logits, labels, lse, loss, count, N, V, ignore_index);
}
void CpuBackend::cross_entropy_backward(const float* logits, const int64_t* labels,
                                        const float* lse, float gloss, int64_t count,
                                        float* glogits, int64_t N, int64_t V,
                                        int64_t ignore_index) {
  k_.cross_entropy_backward(logits, labels, lse, gloss, count, glogits, N, V, ignore_index);
}
void CpuBackend::embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n,
                                   int64_t D) {
  k_.embedding_forward(weight, ids, out, n, D);
}
void CpuBackend::embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n,
                                    int64_t V, int64_t D) {
  k_.embedding_backward(ids, gy, gw, n, V, D);
}

int64_t CpuBackend::attention_max_head_dim() const {
  return kAttentionMaxHeadDim;
}
void CpuBackend::attention_forward(const AttentionShape& s, const AttentionParams& p,
                                   const float* q, const float* k, const float* v,
                                   const float* slopes, float* out, float* lse) {
  k_.attention_forward(s, p, q, k, v, slopes, out, lse);
}
namespace {
const uint16_t* bits(const BFloat16* x) {
  return reinterpret_cast<const uint16_t*>(x);
}
}  // namespace

void CpuBackend::check_bf16_attention(const AttentionShape& s) const {
  FG_CHECK(k_.attention_forward_bf16 != nullptr && s.Dh % 2 == 0,
           "[attention] the {} kernels have no bf16 attention for head_dim {} (ask supports())",
           isa_name(isa_), s.Dh);
}
void CpuBackend::attention_forward_bf16(const AttentionShape& s, const AttentionParams& p,
                                        const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                        const float* slopes, float* out, float* lse) {
  check_bf16_attention(s);
  k_.attention_forward_bf16(s, p, bits(q), bits(k), bits(v), slopes, out, lse);
}
int64_t CpuBackend::attention_backward_workspace_size(const AttentionShape& s) {
  return k_.attention_backward_workspace_size(s);
}
void CpuBackend::attention_backward(const AttentionShape& s, const AttentionParams& p,
                                    const float* q, const float* k, const float* v,
                                    const float* slopes, const float* out, const float* lse,
                                    const float* dout, float* dq, float* dk, float* dv,
                                    float* dslopes, float* workspace) {
  k_.attention_backward(s, p, q, k, v, slopes, out, lse, dout, dq, dk, dv, dslopes, workspace,
                        AttentionBackwardSchedule::Auto);
}
void CpuBackend::attention_backward_bf16(const AttentionShape& s, const AttentionParams& p,
                                         const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                         const float* slopes, const float* out, const float* lse,
                                         const float* dout, float* dq, float* dk, float* dv,
                                         float* dslopes, float* workspace) {
  check_bf16_attention(s);
  k_.attention_backward_bf16(s, p, bits(q), bits(k), bits(v), slopes, out, lse, dout, dq, dk, dv,
                             dslopes, workspace, AttentionBackwardSchedule::Auto);
}

}  // namespace fg::kernels::cpu
