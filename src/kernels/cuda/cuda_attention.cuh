#pragma once
// Device helpers shared by the attention kernels (cuda_attention.cu, cuda_attention_backward.cu):
// tile loads into shared memory, warp reductions, and the per-lane accumulation over head-dim
// columns d = lane + 32 c that every kernel's second half does.
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "kernels/cuda/cuda_attention_plan.h"
#include "kernels/cuda/cuda_backend.h"
#include "kernels/cuda/cuda_launch.cuh"

namespace fg::kernels::cuda {

// Which (b, h) a block of the forward or dQ kernel owns (blockIdx.x = b * H + h), and the
// (b, kv head) row of k and v it reads.
struct HeadView {
  int64_t bh, b, h, bkv;
  __device__ HeadView(const AttentionShape& s, int64_t block) : bh(block) {
    b = bh / s.H;
    h = bh % s.H;
    bkv = b * s.Hkv + h / (s.H / s.Hkv);
  }
};

// dst[r][0:Dh] (row stride ld) = src rows first + r of [total][Dh], zero past total; the whole
// block takes part.
__device__ inline void load_rows(const float* src, int64_t total, int64_t first, int rows, int Dh,
                                 float* dst, int ld) {
  for (int e = threadIdx.x; e < rows * Dh; e += blockDim.x) {
    const int r = e / Dh, d = e % Dh;
    dst[r * ld + d] = first + r < total ? src[(first + r) * Dh + d] : 0.0f;
  }
}

// Waits until the block no longer reads the previous tiles, loads rows first.. of two [total][Dh]
// tensors into a and b (row strides lda, ldb), and waits until the loads are visible.
__device__ inline void stream_tiles(const float* src_a, const float* src_b, int64_t total,
                                    int64_t first, int rows, int Dh, float* a, int lda, float* b,
                                    int ldb) {
  __syncthreads();
  load_rows(src_a, total, first, rows, Dh, a, lda);
  load_rows(src_b, total, first, rows, Dh, b, ldb);
  __syncthreads();
}

__device__ inline float dot_shared(const float* a, const float* b, int n) {
  float acc = 0.0f;
  for (int d = 0; d < n; ++d) acc += a[d] * b[d];
  return acc;
}

__device__ inline float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__device__ inline float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

// acc[c] += sum_t weights[t] * tile[t][d] over the kLaneTile rows of a shared tile (row stride
// ld), for this lane's columns d = lane + 32 c < Dh. weights is a warp-owned shared row.
__device__ inline void accumulate_tile(const float* weights, const float* tile, int ld, int Dh,
                                       int lane, float (&acc)[attention_plan::kDimsPerLane]) {
#pragma unroll
  for (int c = 0; c < attention_plan::kDimsPerLane; ++c) {
    const int d = lane + attention_plan::kWarpSize * c;
    if (d < Dh) {
      float a = acc[c];
      for (int t = 0; t < attention_plan::kLaneTile; ++t) a += weights[t] * tile[t * ld + d];
      acc[c] = a;
    }
  }
}

// dst[d] = acc[c] * factor for this lane's columns.
__device__ inline void store_row(const float (&acc)[attention_plan::kDimsPerLane], float factor,
                                 float* dst, int Dh, int lane) {
#pragma unroll
  for (int c = 0; c < attention_plan::kDimsPerLane; ++c) {
    const int d = lane + attention_plan::kWarpSize * c;
    if (d < Dh) dst[d] = acc[c] * factor;
  }
}

// Kernels above 48 KiB of dynamic shared memory must opt in (sm_80 and later allow more).
template <class Kernel>
void allow_shared_memory(Kernel kernel, size_t bytes) {
  if (bytes > 48 * 1024)
    FG_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                       static_cast<int>(bytes)));
}

}  // namespace fg::kernels::cuda
