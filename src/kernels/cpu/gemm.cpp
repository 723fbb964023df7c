#include "kernels/cpu/gemm.h"

#include <cblas.h>
#if FG_GEMM_ONEDNN
#include <dnnl.h>
#endif

namespace fg::kernels::cpu {

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
#if FG_GEMM_ONEDNN
  // oneDNN runs on the same OpenMP team as the other kernels, so nothing oversubscribes.
  dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', M, N, K, alpha, A, lda, B, ldb, beta, C,
             ldc);
#else
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
              trans_b ? CblasTrans : CblasNoTrans, static_cast<blasint>(M), static_cast<blasint>(N),
              static_cast<blasint>(K), alpha, A, static_cast<blasint>(lda), B,
              static_cast<blasint>(ldb), beta, C, static_cast<blasint>(ldc));
#endif
}

// OpenBLAS keeps its own pthread pool; it gets the same count and runs only between OpenMP
// regions. With oneDNN it is unused, so one thread keeps its pool idle.
void gemm_set_num_threads(int n) {
#if FG_GEMM_ONEDNN
  openblas_set_num_threads(1);
  (void)n;
#else
  openblas_set_num_threads(n);
#endif
}

std::string gemm_library() {
#if FG_GEMM_ONEDNN
  const dnnl_version_t* v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch);
#else
  return openblas_get_config();  // "OpenBLAS <version> <build options>"
#endif
}

}  // namespace fg::kernels::cpu
