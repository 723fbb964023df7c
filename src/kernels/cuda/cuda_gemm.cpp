// Row-major f32 GEMM through cuBLASLt (column-major): C = op(A) op(B) row-major is
// C^T = op(B)^T op(A)^T column-major, so B is passed as cuBLASLt's "A" and A as its "B", with the
// transposes unchanged. f32 accumulation; TF32 inputs when set_tf32(true). gemm_bf16 is the same
// call with bf16 operands.
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
void make_layout(cublasLtMatrixLayout_t* out, cudaDataType_t type, int64_t rows, int64_t cols,
                 int64_t ld) {
  FG_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(out, type, static_cast<uint64_t>(cols),
                                             static_cast<uint64_t>(rows), ld));
}

}  // namespace

// C = beta * C when the product is empty (cuBLASLt does not take K = 0).
void CudaBackend::scale_output(float* C, int64_t M, int64_t N, int64_t ldc, float beta) {
  const int64_t rows = ldc == N ? 1 : M, cols = ldc == N ? M * N : N;
  for (int64_t r = 0; r < rows; ++r) {
    if (beta == 0.f)
      fill(C + r * ldc, cols, 0.f);
    else
      scale(C + r * ldc, cols, beta);
  }
}

void CudaBackend::lt_matmul(cublasComputeType_t compute, cudaDataType_t operands, bool trans_a,
                            bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                            const void* A, int64_t lda, const void* B, int64_t ldb, float beta,
                            float* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) return scale_output(C, M, N, ldc, beta);
  LtCall call;
  FG_CUBLAS_CHECK(cublasLtMatmulDescCreate(&call.op, compute, CUDA_R_32F));
  const cublasOperation_t op_first = trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;  // cuBLASLt "A" = our B
  const cublasOperation_t op_second = trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  FG_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(call.op, CUBLASLT_MATMUL_DESC_TRANSA, &op_first,
                                                 sizeof(op_first)));
  FG_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(call.op, CUBLASLT_MATMUL_DESC_TRANSB, &op_second,
                                                 sizeof(op_second)));
  // As stored: B is [K, N] ([N, K] when trans_b), A is [M, K] ([K, M] when trans_a), C [M, N].
  make_layout(&call.a, operands, trans_b ? N : K, trans_b ? K : N, ldb);
  make_layout(&call.b, operands, trans_a ? K : M, trans_a ? M : K, lda);
  make_layout(&call.c, CUDA_R_32F, M, N, ldc);
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

void CudaBackend::gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                       const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                       float* C, int64_t ldc) {
  lt_matmul(tf32_ ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, CUDA_R_32F, trans_a, trans_b,
            M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// bf16 A and B on the tensor cores, f32 accumulation, f32 C (cuBLASLt's 16BF/16BF/32F case).
void CudaBackend::gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K,
                            float alpha, const BFloat16* A, int64_t lda, const BFloat16* B,
                            int64_t ldb, float beta, float* C, int64_t ldc) {
  lt_matmul(CUBLAS_COMPUTE_32F, CUDA_R_16BF, trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta,
            C, ldc);
}

}  // namespace fg::kernels::cuda
