// Row-major f32 GEMM through cuBLASLt (column-major): C = op(A) op(B) row-major is
// C^T = op(B)^T op(A)^T column-major, so B is passed as cuBLASLt's "A" and A as its "B", with the
// transposes unchanged. f32 accumulation; TF32 inputs when set_tf32(true).
#include <cstdint>

#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_check.h"

namespace fg::kernels::cuda {

namespace {

// Owns the cuBLASLt descriptors of one call.
struct LtCall {
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulPreference_t pref = nullptr;
  ~LtCall() {
    if (pref) cublasLtMatmulPreferenceDestroy(pref);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

// A matrix stored row-major as [rows, cols] with leading dimension ld is, to cuBLASLt, the
// column-major [cols, rows] with the same ld.
void make_layout(cublasLtMatrixLayout_t* out, int64_t rows, int64_t cols, int64_t ld) {
  FG_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(out, CUDA_R_32F, static_cast<uint64_t>(cols),
                                             static_cast<uint64_t>(rows), ld));
}

}  // namespace

void CudaBackend::gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                       const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                       float* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {  // no products: C = beta * C (cuBLASLt does not take K = 0)
    if (ldc == N) {
      if (beta == 0.f)
        fill(C, M * N, 0.f);
      else
        scale(C, M * N, beta);
      return;
    }
    for (int64_t r = 0; r < M; ++r) {
      if (beta == 0.f)
        fill(C + r * ldc, N, 0.f);
      else
        scale(C + r * ldc, N, beta);
    }
    return;
  }
  LtCall call;
  const cublasComputeType_t compute = tf32_ ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  FG_CUBLAS_CHECK(cublasLtMatmulDescCreate(&call.op, compute, CUDA_R_32F));
  const cublasOperation_t op_first = trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;  // cuBLASLt "A" = our B
  const cublasOperation_t op_second = trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  FG_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(call.op, CUBLASLT_MATMUL_DESC_TRANSA, &op_first,
                                                 sizeof(op_first)));
  FG_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(call.op, CUBLASLT_MATMUL_DESC_TRANSB, &op_second,
                                                 sizeof(op_second)));
  // As stored: B is [K, N] ([N, K] when trans_b), A is [M, K] ([K, M] when trans_a), C [M, N].
  make_layout(&call.a, trans_b ? N : K, trans_b ? K : N, ldb);
  make_layout(&call.b, trans_a ? K : M, trans_a ? M : K, lda);
  make_layout(&call.c, M, N, ldc);
  FG_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&call.pref));
  FG_CUBLAS_CHECK(
      cublasLtMatmulPreferenceSetAttribute(call.pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                           &gemm_workspace_bytes_, sizeof(gemm_workspace_bytes_)));
  cublasLtMatmulHeuristicResult_t heuristic{};
  int found = 0;
  FG_CUBLAS_CHECK(cublasLtMatmulAlgoGetHeuristic(lt_, call.op, call.a, call.b, call.c, call.c,
                                                 call.pref, 1, &heuristic, &found));
  if (found == 0)
    throw_cuda_error("cublasLtMatmulAlgoGetHeuristic", 0, "no algorithm for this GEMM", __FILE__,
                     __LINE__);
  FG_CUBLAS_CHECK(cublasLtMatmul(lt_, call.op, &alpha, B, call.a, A, call.b, &beta, C, call.c, C,
                                 call.c, &heuristic.algo, gemm_workspace_, gemm_workspace_bytes_,
                                 stream_));
}

}  // namespace fg::kernels::cuda
