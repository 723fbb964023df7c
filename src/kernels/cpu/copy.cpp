#include "kernels/cpu/copy.h"

#include <algorithm>
#include <cstring>

#include "kernels/cpu/parallel.h"

namespace fg::kernels::cpu::FG_ISA_NS {

void strided_copy(const void* src, void* dst, int64_t outer, int64_t inner, int64_t src_stride,
                  int64_t dst_stride, int64_t elem_bytes) {
  const char* s = static_cast<const char*>(src);
  char* d = static_cast<char*>(dst);
  // Rows x 64 KiB blocks, so a few long rows (slice of a leading dim) still use every thread.
  constexpr int64_t kBlock = 1 << 16;
  const int64_t row_bytes = inner * elem_bytes;
  const int64_t nblk = (row_bytes + kBlock - 1) / kBlock;
#pragma omp parallel for collapse(2) if (outer * inner > kParallelGrain)
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t blk = 0; blk < nblk; ++blk) {
      int64_t off = blk * kBlock, len = std::min(kBlock, row_bytes - off);
      std::memcpy(d + o * dst_stride * elem_bytes + off, s + o * src_stride * elem_bytes + off,
                  static_cast<size_t>(len));
    }
}

void permute(const float* x, float* y, int64_t ndim, const int64_t* shape, const int64_t* perm) {
  // Output dim i walks x with stride xs[perm[i]]; rows of the output's last dim are the unit.
  int64_t xs[8], oshape[8], ostride_x[8];
  xs[ndim - 1] = 1;
  for (int64_t i = ndim - 2; i >= 0; --i) xs[i] = xs[i + 1] * shape[i + 1];
  int64_t rows = 1;
  for (int64_t i = 0; i < ndim; ++i) {
    oshape[i] = shape[perm[i]];
    ostride_x[i] = xs[perm[i]];
    if (i < ndim - 1) rows *= oshape[i];
  }
  int64_t inner = oshape[ndim - 1], inner_stride = ostride_x[ndim - 1];
#pragma omp parallel for if (rows * inner > kParallelGrain)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rem = r, src = 0;
    for (int64_t i = ndim - 2; i >= 0; --i) {
      src += (rem % oshape[i]) * ostride_x[i];
      rem /= oshape[i];
    }
    float* yr = y + r * inner;
    if (inner_stride == 1) {
      std::memcpy(yr, x + src, sizeof(float) * inner);
    } else {
      for (int64_t j = 0; j < inner; ++j) yr[j] = x[src + j * inner_stride];
    }
  }
}

void embedding_forward(const float* weight, const int64_t* ids, float* out, int64_t n, int64_t D) {
#pragma omp parallel for if (n * D > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) std::memcpy(out + i * D, weight + ids[i] * D, sizeof(float) * D);
}

void embedding_backward(const int64_t* ids, const float* gy, float* gw, int64_t n, int64_t V,
                        int64_t D) {
  // Each thread owns a column range of gw, so the scatter-add needs no atomics and its order
  // (and result) does not depend on the thread count.
#pragma omp parallel if (n * D > kParallelGrain)
  {
    Range cr = thread_range(D, omp_get_thread_num(), omp_get_num_threads());
    for (int64_t v = 0; v < V; ++v)
      for (int64_t c = cr.begin; c < cr.end; ++c) gw[v * D + c] = 0.f;
    for (int64_t i = 0; i < n; ++i) {
      float* dst = gw + ids[i] * D;
      const float* src = gy + i * D;
#pragma omp simd
      for (int64_t c = cr.begin; c < cr.end; ++c) dst[c] += src[c];
    }
  }
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
