// Row kernels of CudaBackend: LayerNorm, RMSNorm, softmax, log-softmax and cross-entropy over the
// last dim. One block per row reduces with block_sum/block_max; per-column weight gradients are
// one thread per column summing rows in order. Semantics: kernels/ref/norm.h, ref/softmax.h.
#include <cmath>

#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_launch.cuh"

namespace fg::kernels::cuda {

namespace {

__global__ void layer_norm_k(const float* x, const float* w, const float* b, float* y, float* mean,
                             float* rstd, int64_t D, float eps) {
  const int64_t r = blockIdx.x;
  const float* xr = x + r * D;
  float s = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) s += xr[i];
  const float m = block_sum(s) / float(D);
  float v = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) v += (xr[i] - m) * (xr[i] - m);
  const float rs = 1.f / sqrtf(block_sum(v) / float(D) + eps);
  if (threadIdx.x == 0) {
    mean[r] = m;
    rstd[r] = rs;
  }
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    y[r * D + i] = (xr[i] - m) * rs * (w ? w[i] : 1.f) + (b ? b[i] : 0.f);
}

__global__ void layer_norm_grad_x_k(const float* x, const float* w, const float* mean,
                                    const float* rstd, const float* gy, float* gx, int64_t D) {
  const int64_t r = blockIdx.x;
  const float m = mean[r], rs = rstd[r];
  float sg = 0.f, sgh = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) {
    const float h = (x[r * D + i] - m) * rs;
    const float gh = gy[r * D + i] * (w ? w[i] : 1.f);
    sg += gh;
    sgh += gh * h;
  }
  sg = block_sum(sg);
  sgh = block_sum(sgh);
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) {
    const float h = (x[r * D + i] - m) * rs;
    const float gh = gy[r * D + i] * (w ? w[i] : 1.f);
    gx[r * D + i] = rs * (gh - sg / float(D) - h * sgh / float(D));
  }
}

// gw[i] = sum_r gy * xhat, gb[i] = sum_r gy (either may be null); xhat from mean (null: RMSNorm).
__global__ void norm_grad_w_k(const float* x, const float* mean, const float* rstd, const float* gy,
                              float* gw, float* gb, int64_t rows, int64_t D) {
  FG_GRID_STRIDE(i, D) {
    float sw = 0.f, sb = 0.f;
    for (int64_t r = 0; r < rows; ++r) {
      const float h = (x[r * D + i] - (mean ? mean[r] : 0.f)) * rstd[r];
      sw += gy[r * D + i] * h;
      sb += gy[r * D + i];
    }
    if (gw) gw[i] = sw;
    if (gb) gb[i] = sb;
  }
}

__global__ void rms_norm_k(const float* x, const float* w, float* y, float* rstd, int64_t D,
                           float eps) {
  const int64_t r = blockIdx.x;
  float ss = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) ss += x[r * D + i] * x[r * D + i];
  const float rs = 1.f / sqrtf(block_sum(ss) / float(D) + eps);
  if (threadIdx.x == 0) rstd[r] = rs;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    y[r * D + i] = x[r * D + i] * rs * (w ? w[i] : 1.f);
}

__global__ void rms_norm_grad_x_k(const float* x, const float* w, const float* rstd,
                                  const float* gy, float* gx, int64_t D) {
  const int64_t r = blockIdx.x;
  const float rs = rstd[r];
  float sgh = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    sgh += gy[r * D + i] * (w ? w[i] : 1.f) * (x[r * D + i] * rs);
  sgh = block_sum(sgh);
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) {
    const float h = x[r * D + i] * rs;
    gx[r * D + i] = rs * (gy[r * D + i] * (w ? w[i] : 1.f) - h * sgh / float(D));
  }
}

// log(sum(exp(row))) with the max subtracted, as ref::row_lse.
__device__ float row_lse(const float* xr, int64_t D) {
  float m = -INFINITY;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) m = fmaxf(m, xr[i]);
  m = block_max(m);
  float s = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x) s += expf(xr[i] - m);
  return m + logf(block_sum(s));
}

__global__ void softmax_k(const float* x, float* y, int64_t D, bool log) {
  const int64_t r = blockIdx.x;
  const float l = row_lse(x + r * D, D);
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    y[r * D + i] = log ? x[r * D + i] - l : expf(x[r * D + i] - l);
}

__global__ void softmax_grad_k(const float* y, const float* gy, float* gx, int64_t D, bool log) {
  const int64_t r = blockIdx.x;
  float s = 0.f;
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    s += log ? gy[r * D + i] : gy[r * D + i] * y[r * D + i];
  s = block_sum(s);
  for (int64_t i = threadIdx.x; i < D; i += blockDim.x)
    gx[r * D + i] =
        log ? gy[r * D + i] - expf(y[r * D + i]) * s : y[r * D + i] * (gy[r * D + i] - s);
}

__global__ void row_lse_k(const float* logits, float* lse, int64_t V) {
  const float l = row_lse(logits + blockIdx.x * V, V);
  if (threadIdx.x == 0) lse[blockIdx.x] = l;
}

// One block: loss = mean over counted rows of lse - logit[label] (NaN if none), count.
__global__ void ce_loss_k(const float* logits, const int64_t* labels, const float* lse, float* loss,
                          int64_t* count, int64_t N, int64_t V, int64_t ignore) {
  float total = 0.f;
  long long n = 0;
  for (int64_t r = threadIdx.x; r < N; r += blockDim.x) {
    if (labels[r] == ignore) continue;
    total += lse[r] - logits[r * V + labels[r]];
    ++n;
  }
  total = block_sum(total);
  n = block_sum(n);
  if (threadIdx.x == 0) {
    count[0] = n;
    loss[0] = n ? total / float(n) : NAN;
  }
}

// gloss and count from device memory when the pointers are set, else the host values.
__global__ void ce_grad_k(const float* logits, const int64_t* labels, const float* lse,
                          float gloss_host, int64_t count_host, const float* gloss_dev,
                          const int64_t* count_dev, float* glogits, int64_t N, int64_t V,
                          int64_t ignore) {
  const float gloss = gloss_dev ? gloss_dev[0] : gloss_host;
  const int64_t n = count_dev ? count_dev[0] : count_host;
  FG_GRID_STRIDE(i, N * V) {
    const int64_t r = i / V, c = i % V;
    const float p =
        labels[r] == ignore ? 0.f : expf(logits[i] - lse[r]) - (c == labels[r] ? 1.f : 0.f);
    glogits[i] = n ? gloss * p / float(n) : 0.f;
  }
}

unsigned rows_grid(int64_t rows) {
  return static_cast<unsigned>(rows);
}

}  // namespace

void CudaBackend::layer_norm_forward(const float* x, const float* w, const float* b, float* y,
                                     float* mean, float* rstd, int64_t rows, int64_t D, float eps) {
  if (rows <= 0) return;
  layer_norm_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, w, b, y, mean, rstd, D, eps);
  check_launch();
}

void CudaBackend::layer_norm_backward(const float* x, const float* w, const float* mean,
                                      const float* rstd, const float* gy, float* gx, float* gw,
                                      float* gb, int64_t rows, int64_t D) {
  if (rows > 0) {
    layer_norm_grad_x_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, w, mean, rstd, gy, gx, D);
    check_launch();
  }
  if (gw || gb) {
    norm_grad_w_k<<<grid_for(D), kThreads, 0, stream_>>>(x, mean, rstd, gy, gw, gb, rows, D);
    check_launch();
  }
}

void CudaBackend::rms_norm_forward(const float* x, const float* w, float* y, float* rstd,
                                   int64_t rows, int64_t D, float eps) {
  if (rows <= 0) return;
  rms_norm_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, w, y, rstd, D, eps);
  check_launch();
}

void CudaBackend::rms_norm_backward(const float* x, const float* w, const float* rstd,
                                    const float* gy, float* gx, float* gw, int64_t rows,
                                    int64_t D) {
  if (rows > 0) {
    rms_norm_grad_x_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, w, rstd, gy, gx, D);
    check_launch();
  }
  if (gw) {
    norm_grad_w_k<<<grid_for(D), kThreads, 0, stream_>>>(x, nullptr, rstd, gy, gw, nullptr, rows,
                                                         D);
    check_launch();
  }
}

void CudaBackend::softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  if (rows <= 0) return;
  softmax_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, y, D, false);
  check_launch();
}

void CudaBackend::softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                   int64_t D) {
  if (rows <= 0) return;
  softmax_grad_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(y, gy, gx, D, false);
  check_launch();
}

void CudaBackend::log_softmax_forward(const float* x, float* y, int64_t rows, int64_t D) {
  if (rows <= 0) return;
  softmax_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(x, y, D, true);
  check_launch();
}

void CudaBackend::log_softmax_backward(const float* y, const float* gy, float* gx, int64_t rows,
                                       int64_t D) {
  if (rows <= 0) return;
  softmax_grad_k<<<rows_grid(rows), kRowThreads, 0, stream_>>>(y, gy, gx, D, true);
  check_launch();
}

void CudaBackend::cross_entropy_forward(const float* logits, const int64_t* labels, float* lse,
                                        float* loss, int64_t* count, int64_t N, int64_t V,
                                        int64_t ignore_index) {
  if (N > 0) {
    row_lse_k<<<rows_grid(N), kRowThreads, 0, stream_>>>(logits, lse, V);
    check_launch();
  }
  ce_loss_k<<<1, 1024, 0, stream_>>>(logits, labels, lse, loss, count, N, V, ignore_index);
  check_launch();
}

void CudaBackend::cross_entropy_backward(const float* logits, const int64_t* labels,
                                         const float* lse, float gloss, int64_t count,
                                         float* glogits, int64_t N, int64_t V,
                                         int64_t ignore_index) {
  if (N * V <= 0) return;
  ce_grad_k<<<grid_for(N * V), kThreads, 0, stream_>>>(logits, labels, lse, gloss, count, nullptr,
                                                       nullptr, glogits, N, V, ignore_index);
  check_launch();
}

void CudaBackend::cross_entropy_backward_dev(const float* logits, const int64_t* labels,
                                             const float* lse, const float* gloss,
                                             const int64_t* count, float* glogits, int64_t N,
                                             int64_t V, int64_t ignore_index) {
  if (N * V <= 0) return;
  ce_grad_k<<<grid_for(N * V), kThreads, 0, stream_>>>(logits, labels, lse, 0.f, 0, gloss, count,
                                                       glogits, N, V, ignore_index);
  check_launch();
}

}  // namespace fg::kernels::cuda
