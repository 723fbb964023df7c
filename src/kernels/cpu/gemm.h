#pragma once
// Row-major SGEMM through the tuned library chosen by bench/gemm_bench.cpp (see docs/engine.md).
#include <cstdint>
#include <string>

namespace fg::kernels::cpu {

// C[M,N] = alpha * op(A) op(B) + beta * C.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
// The same with bf16 operands and f32 accumulation. Returns false (computing nothing) when the
// GEMM library has no fast bf16 path for these operands on this CPU; the caller then converts.
bool gemm_bf16(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
               const uint16_t* A, int64_t lda, const uint16_t* B, int64_t ldb, float beta, float* C,
               int64_t ldc);
// The implementation the GEMM library picked for a bf16 GEMM of this shape ("" if none).
std::string gemm_bf16_implementation(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K);
// Threads used by the GEMM library (kept equal to the OpenMP team size).
void gemm_set_num_threads(int n);
// The GEMM library and its version, e.g. "oneDNN 3.0.0" (for `forgather info`).
std::string gemm_library();

}  // namespace fg::kernels::cpu
