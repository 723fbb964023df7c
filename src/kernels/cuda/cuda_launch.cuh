#pragma once
// Launch shapes and block reductions shared by the CUDA kernel files.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

#include "kernels/cuda/cuda_check.h"

namespace fg::kernels::cuda {

constexpr int kThreads = 256;     // elementwise kernels: threads per block (grid-stride loops)
constexpr int kRowThreads = 256;  // one block per row for the row reductions

inline unsigned grid_for(int64_t n) {
  // Grid-stride loops cover any n; a bounded grid keeps the launch valid for huge tensors.
  return static_cast<unsigned>(
      std::max<int64_t>(1, std::min<int64_t>((n + kThreads - 1) / kThreads, int64_t(1) << 16)));
}

inline void check_launch() {
  FG_CUDA_CHECK(cudaGetLastError());
}

// A recorded kernel's dropout counter base moved on by the running replay's shift (null: a kernel
// run outside a recording, never shifted). See GraphCapture::replay.
__device__ inline uint64_t shifted_rng_base(uint64_t base, const uint64_t* shift) {
  return shift != nullptr ? base + *shift : base;
}

#define FG_GRID_STRIDE(i, n)                                                \
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < (n); \
       i += int64_t(blockDim.x) * gridDim.x)

// The sum of v over the block (blockDim.x a multiple of 32, at most 1024); every thread gets it.
template <class T>
__device__ T block_sum(T v) {
  __shared__ T partial[32];
  __shared__ T total;
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  __syncthreads();  // partial/total may still be read by a previous call
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    const int warps = blockDim.x / 32;
    T w = lane < warps ? partial[lane] : T(0);
    for (int o = 16; o > 0; o >>= 1) w += __shfl_down_sync(0xffffffffu, w, o);
    if (lane == 0) total = w;
  }
  __syncthreads();
  return total;
}

__device__ inline float block_max(float v) {
  __shared__ float partial[32];
  __shared__ float total;
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffffu, v, o));
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  __syncthreads();
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    const int warps = blockDim.x / 32;
    float w = lane < warps ? partial[lane] : -INFINITY;
    for (int o = 16; o > 0; o >>= 1) w = fmaxf(w, __shfl_down_sync(0xffffffffu, w, o));
    if (lane == 0) total = w;
  }
  __syncthreads();
  return total;
}

}  // namespace fg::kernels::cuda
