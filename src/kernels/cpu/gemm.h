#pragma once
// Row-major SGEMM through the tuned library chosen by bench/gemm_bench.cpp (see docs/engine.md).
#include <cstdint>
#include <string>

namespace fg::kernels::cpu {

// C[M,N] = alpha * op(A) op(B) + beta * C.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
// Threads used by the GEMM library (kept equal to the OpenMP team size).
void gemm_set_num_threads(int n);
// The GEMM library and its version, e.g. "oneDNN 3.0.0" (for `forgather info`).
std::string gemm_library();

}  // namespace fg::kernels::cpu
