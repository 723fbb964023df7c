// AdamW and SGD steps of CudaBackend. Built with --fmad=false (src/kernels/cuda/CMakeLists.txt):
// the fused multiply-adds are the explicit __fmaf_rn calls, at the places kernels/cpu/
// optimizer_kernels.cpp calls std::fma, so each step rounds as the CPU's does.
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_launch.cuh"

namespace fg::kernels::cuda {

namespace {

__global__ void adamw_k(float* p, const float* g, float* m, float* v, int64_t n, AdamWScalars c) {
  FG_GRID_STRIDE(i, n) {
    const float gi = g[i];
    const float pi = p[i] * c.decay;
    const float mi = __fmaf_rn(c.one_minus_beta1, gi, m[i] * c.beta1);
    const float vi = __fmaf_rn(c.one_minus_beta2 * gi, gi, v[i] * c.beta2);
    const float denom = __fsqrt_rn(vi) / c.bias_correction2_sqrt + c.eps;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi + c.neg_step_size * mi / denom;
  }
}

__global__ void sgd_k(float* p, const float* g, float* buf, int64_t n, SGDScalars s, bool decay,
                      bool first, bool nesterov) {
  FG_GRID_STRIDE(i, n) {
    float d = decay ? __fmaf_rn(s.weight_decay, p[i], g[i]) : g[i];
    if (buf) {
      const float b = first ? d : __fmaf_rn(s.one_minus_dampening, d, buf[i] * s.momentum);
      buf[i] = b;
      d = nesterov ? __fmaf_rn(s.momentum, b, d) : b;
    }
    p[i] = __fmaf_rn(-s.lr, d, p[i]);
  }
}

}  // namespace

void CudaBackend::adamw_update(float* p, const float* g, float* m, float* v, int64_t n,
                               const AdamWScalars& s) {
  if (n <= 0) return;
  adamw_k<<<grid_for(n), kThreads, 0, stream_>>>(p, g, m, v, n, s);
  check_launch();
}

void CudaBackend::sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s,
                             bool decay, bool first, bool nesterov) {
  if (n <= 0) return;
  sgd_k<<<grid_for(n), kThreads, 0, stream_>>>(p, g, buf, n, s, decay, first, nesterov);
  check_launch();
}

}  // namespace fg::kernels::cuda
