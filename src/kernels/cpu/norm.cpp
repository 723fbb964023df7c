#include "kernels/cpu/norm.h"

#include <cmath>

#include "kernels/cpu/parallel.h"

namespace fg::kernels::cpu::FG_ISA_NS {

namespace {

// gw[D] = sum_r gy * xhat and gb[D] = sum_r gy (either may be null) in one sweep; each thread
// owns a column range, so the sums do not depend on the thread count.
void norm_param_grads(const float* x, const float* mean, const float* rstd, const float* gy,
                      float* gw, float* gb, int64_t rows, int64_t D) {
#pragma omp parallel if (rows * D > kParallelGrain)
  {
    Range cr = thread_range(D, omp_get_thread_num(), omp_get_num_threads());
    for (int64_t c = cr.begin; c < cr.end; ++c) {
      if (gw) gw[c] = 0.f;
      if (gb) gb[c] = 0.f;
    }
    for (int64_t r = 0; r < rows; ++r) {
      const float* xr = x + r * D;
      const float* gr = gy + r * D;
      const float m = mean ? mean[r] : 0.f, rs = rstd[r];
      if (gw) {
#pragma omp simd
        for (int64_t c = cr.begin; c < cr.end; ++c) gw[c] += gr[c] * (xr[c] - m) * rs;
      }
      if (gb) {
#pragma omp simd
        for (int64_t c = cr.begin; c < cr.end; ++c) gb[c] += gr[c];
      }
    }
  }
}

}  // namespace

void layer_norm_forward(const float* x, const float* w, const float* b, float* y, float* mean,
                        float* rstd, int64_t rows, int64_t D, float eps) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    float* yr = y + r * D;
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < D; ++i) s += xr[i];
    float m = s / static_cast<float>(D);
    float v = 0.f;
#pragma omp simd reduction(+ : v)
    for (int64_t i = 0; i < D; ++i) v += (xr[i] - m) * (xr[i] - m);
    float rs = 1.f / std::sqrt(v / static_cast<float>(D) + eps);
    mean[r] = m;
    rstd[r] = rs;
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) {
      float h = (xr[i] - m) * rs;
      yr[i] = h * (w ? w[i] : 1.f) + (b ? b[i] : 0.f);
    }
  }
}

void layer_norm_backward(const float* x, const float* w, const float* mean, const float* rstd,
                         const float* gy, float* gx, float* gw, float* gb, int64_t rows,
                         int64_t D) {
  float inv_d = 1.f / static_cast<float>(D);
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    const float* gr = gy + r * D;
    float m = mean[r], rs = rstd[r];
    float sum_g = 0.f, sum_gh = 0.f;
#pragma omp simd reduction(+ : sum_g, sum_gh)
    for (int64_t i = 0; i < D; ++i) {
      float gh = gr[i] * (w ? w[i] : 1.f);
      sum_g += gh;
      sum_gh += gh * (xr[i] - m) * rs;
    }
    float mg = sum_g * inv_d, mgh = sum_gh * inv_d;
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) {
      float gh = gr[i] * (w ? w[i] : 1.f);
      gx[r * D + i] = rs * (gh - mg - (xr[i] - m) * rs * mgh);
    }
  }
  if (gw || gb) norm_param_grads(x, mean, rstd, gy, gw, gb, rows, D);
}

void rms_norm_forward(const float* x, const float* w, float* y, float* rstd, int64_t rows,
                      int64_t D, float eps) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    float ss = 0.f;
#pragma omp simd reduction(+ : ss)
    for (int64_t i = 0; i < D; ++i) ss += xr[i] * xr[i];
    float rs = 1.f / std::sqrt(ss / static_cast<float>(D) + eps);
    rstd[r] = rs;
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) y[r * D + i] = xr[i] * rs * (w ? w[i] : 1.f);
  }
}

void rms_norm_backward(const float* x, const float* w, const float* rstd, const float* gy,
                       float* gx, float* gw, int64_t rows, int64_t D) {
  float inv_d = 1.f / static_cast<float>(D);
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * D;
    const float* gr = gy + r * D;
    float rs = rstd[r];
    float sum_gh = 0.f;
#pragma omp simd reduction(+ : sum_gh)
    for (int64_t i = 0; i < D; ++i) sum_gh += gr[i] * (w ? w[i] : 1.f) * xr[i] * rs;
    float mgh = sum_gh * inv_d;
#pragma omp simd
    for (int64_t i = 0; i < D; ++i)
      gx[r * D + i] = rs * (gr[i] * (w ? w[i] : 1.f) - xr[i] * rs * mgh);
  }
  if (gw) norm_param_grads(x, nullptr, rstd, gy, gw, nullptr, rows, D);
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
