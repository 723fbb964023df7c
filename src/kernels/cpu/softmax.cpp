#include "kernels/cpu/softmax.h"

#include <cmath>
#include <limits>

#include "kernels/cpu/parallel.h"
#include "kernels/cpu/vec_math.h"

namespace fg::kernels::cpu::FG_ISA_NS {

namespace {

// log(sum(exp(x))) of one row, computed stably.
inline float row_lse(const float* x, int64_t D) {
  float m = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : m)
  for (int64_t i = 0; i < D; ++i) m = x[i] > m ? x[i] : m;
  float s = 0.f;
#pragma omp simd reduction(+ : s)
  for (int64_t i = 0; i < D; ++i) s += vexp(x[i] - m);
  return m + std::log(s);
}

}  // namespace

void softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    float lse = row_lse(x + r * D, D);
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) y[r * D + i] = vexp(x[r * D + i] - lse);
  }
}

void softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t D) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* yr = y + r * D;
    const float* gr = gy + r * D;
    float dot = 0.f;
#pragma omp simd reduction(+ : dot)
    for (int64_t i = 0; i < D; ++i) dot += yr[i] * gr[i];
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) gx[r * D + i] = yr[i] * (gr[i] - dot);
  }
}

void log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    float lse = row_lse(x + r * D, D);
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) y[r * D + i] = x[r * D + i] - lse;
  }
}

void log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows, int64_t D) {
#pragma omp parallel for if (rows * D > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    const float* yr = y + r * D;
    const float* gr = gy + r * D;
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < D; ++i) s += gr[i];
#pragma omp simd
    for (int64_t i = 0; i < D; ++i) gx[r * D + i] = gr[i] - vexp(yr[i]) * s;
  }
}

void cross_entropy_forward(const float* logits, const int64_t* labels, float* lse, float* loss,
                           int64_t* count, int64_t N, int64_t V, int64_t ignore_index) {
  double total = 0;
  int64_t n = 0;
#pragma omp parallel for reduction(+ : total, n) if (N * V > kParallelGrain)
  for (int64_t r = 0; r < N; ++r) {
    const float* xr = logits + r * V;
    float l = row_lse(xr, V);
    lse[r] = l;
    if (labels[r] == ignore_index) continue;
    total += static_cast<double>(l - xr[labels[r]]);
    n += 1;
  }
  count[0] = n;
  loss[0] = n > 0 ? static_cast<float>(total / static_cast<double>(n))
                  : std::numeric_limits<float>::quiet_NaN();
}

void cross_entropy_backward(const float* logits, const int64_t* labels, const float* lse,
                            float gloss, int64_t count, float* glogits, int64_t N, int64_t V,
                            int64_t ignore_index) {
  float s = count > 0 ? gloss / static_cast<float>(count) : 0.f;
#pragma omp parallel for if (N * V > kParallelGrain)
  for (int64_t r = 0; r < N; ++r) {
    float* gr = glogits + r * V;
    if (labels[r] == ignore_index) {
#pragma omp simd
      for (int64_t i = 0; i < V; ++i) gr[i] = 0.f;
      continue;
    }
    const float* xr = logits + r * V;
    float l = lse[r];
#pragma omp simd
    for (int64_t i = 0; i < V; ++i) gr[i] = s * vexp(xr[i] - l);
    gr[labels[r]] -= s;
  }
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
