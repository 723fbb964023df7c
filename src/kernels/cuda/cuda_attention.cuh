#pragma once
// Device helpers shared by the attention kernels (cuda_attention*.cu): tile loads into shared
// memory, warp reductions, the per-lane accumulation over head-dim columns d = lane + 32 c of the
// f32 kernels, the WMMA strip products of the bf16 kernels, and the backward's launches that
// both precisions share (D = rowsum(dout * out), the dslopes reduction).
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <mma.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

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

// *dst = the sum of v over the block (each thread's share; warps in order, so deterministic).
// scratch holds a float per warp and may be in use until the call: it starts with a barrier.
// Every thread of the block calls it.
__device__ inline void store_block_sum(float v, float* scratch, float* dst) {
  v = warp_sum(v);
  const int lane = threadIdx.x % attention_plan::kWarpSize;
  const int warp = threadIdx.x / attention_plan::kWarpSize;
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    float total = 0.0f;
    for (int w = 0; w < static_cast<int>(blockDim.x) / attention_plan::kWarpSize; ++w)
      total += scratch[w];
    *dst = total;
  }
}

// dS of one (query i, key j) pair from the raw dots q.k and dout.v; *p_drop gets P * drop.
__device__ inline float grad_score(float qk, float dov, float scale, float slope, float row_lse,
                                   float row_D, float rel, float drop, float* p_drop) {
  const float pr = expf(scale * qk + slope * rel - row_lse);
  *p_drop = pr * drop;
  return pr * (drop * dov - row_D);
}

// ---- the bf16 kernels' tensor-core helpers (plan: attention_plan::bf16) ----
// The names the bf16 kernel files use (`using namespace bf16_kernel_names;`): the bf16 plan's own
// (kRowTile and kBlockThreads are its 64 rows and 4 warps, not the f32 kernels') and the
// per-element math they share with the f32 kernels.
namespace bf16_kernel_names {
using namespace attention_plan::bf16;
using attention_plan::ceil_div;
using attention_plan::dropout_factor;
using attention_plan::key_end;
using attention_plan::kWarpSize;
using attention_plan::online_rescale;
using attention_plan::OnlineRow;
using attention_plan::query_begin;
using attention_plan::relative;
using attention_plan::visible;
}  // namespace bf16_kernel_names

namespace mma = nvcuda::wmma;
using Bf16 = __nv_bfloat16;
using AccFragment = mma::fragment<mma::accumulator, attention_plan::bf16::kMma,
                                  attention_plan::bf16::kMma, attention_plan::bf16::kMma, float>;
// One accumulator fragment per 16 head-dim columns; those at or past the padded Dh stay unused.
constexpr int kAccFragments = attention_plan::kMaxHeadDim / attention_plan::bf16::kMma;
using AccRow = AccFragment[kAccFragments];

__device__ inline Bf16 to_bf16(uint16_t bits) {
  return __ushort_as_bfloat16(bits);
}
__device__ inline Bf16 to_bf16(float x) {  // round to nearest even, as the CPU's conversion
  return __float2bfloat16_rn(x);
}

// dst[r][0:Dp] (row stride ld) = rows first + r of src [total][Dh] as bf16 (raw bf16 bits, or
// f32 rounded), zero past total and in the head-dim padding Dh..Dp; the whole block takes part.
template <class T>
__device__ void load_bf16_rows(const T* src, int64_t total, int64_t first, int rows, int Dh, int Dp,
                               Bf16* dst, int ld) {
  for (int e = threadIdx.x; e < rows * Dp; e += blockDim.x) {
    const int r = e / Dp, d = e % Dp;
    dst[r * ld + d] =
        first + r < total && d < Dh ? to_bf16(src[(first + r) * Dh + d]) : __ushort_as_bfloat16(0);
  }
}

// out [kMma][kColTile] (f32, row stride kScoreStride) = a [kMma][Dp] . b [kColTile][Dp]^T: a
// warp's strip of scores (q.k or dout.v; k.q or v.dout in the dK/dV kernel). Both operands are
// bf16 row-major with stride ld; b read as a col-major matrix_b is b^T without a copy: element
// (k, n) of a col-major matrix at p with ldm ld is p[n * ld + k], i.e. b[n][k].
__device__ inline void strip_scores(const Bf16* a, const Bf16* b, int ld, int Dp, float* out) {
  using namespace attention_plan::bf16;
  constexpr int kN = kColTile / kMma;
  AccFragment acc[kN];
#pragma unroll
  for (int n = 0; n < kN; ++n) mma::fill_fragment(acc[n], 0.0f);
  for (int kk = 0; kk < Dp; kk += kMma) {
    mma::fragment<mma::matrix_a, kMma, kMma, kMma, Bf16, mma::row_major> fa;
    mma::load_matrix_sync(fa, a + kk, ld);
#pragma unroll
    for (int n = 0; n < kN; ++n) {
      mma::fragment<mma::matrix_b, kMma, kMma, kMma, Bf16, mma::col_major> fb;
      mma::load_matrix_sync(fb, b + n * kMma * ld + kk, ld);
      mma::mma_sync(acc[n], fa, fb, acc[n]);
    }
  }
#pragma unroll
  for (int n = 0; n < kN; ++n)
    mma::store_matrix_sync(out + n * kMma, acc[n], kScoreStride, mma::mem_row_major);
}

// The backward's two score strips of a warp, S = a0 . b0^T and dP = a1 . b1^T (dP right after S,
// kMma rows of kScoreStride on), made visible to every lane of the warp.
__device__ inline void strip_scores_and_grads(const Bf16* a0, const Bf16* b0, const Bf16* a1,
                                              const Bf16* b1, int ld, int Dp, float* S) {
  strip_scores(a0, b0, ld, Dp, S);
  strip_scores(a1, b1, ld, Dp, S + attention_plan::bf16::kMma * attention_plan::bf16::kScoreStride);
  __syncwarp();
}

// acc[n] += p [kMma][kColTile] (bf16, stride kProbStride) . tile [kColTile][Dp] (bf16 row-major,
// stride ld), columns 16n..16n+15 in acc[n]: P.v, dS.k, (P*drop)^T.dout, dS^T.q.
__device__ inline void accumulate_strip(const Bf16* p, const Bf16* tile, int ld, int Dp,
                                        AccRow& acc) {
  using namespace attention_plan::bf16;
#pragma unroll
  for (int kk = 0; kk < kColTile; kk += kMma) {
    mma::fragment<mma::matrix_a, kMma, kMma, kMma, Bf16, mma::row_major> fa;
    mma::load_matrix_sync(fa, p + kk, kProbStride);
#pragma unroll
    for (int n = 0; n < kAccFragments; ++n) {
      if (n * kMma >= Dp) break;  // warp-uniform: every lane sees the same Dp
      mma::fragment<mma::matrix_b, kMma, kMma, kMma, Bf16, mma::row_major> fb;
      mma::load_matrix_sync(fb, tile + kk * ld + n * kMma, ld);
      mma::mma_sync(acc[n], fa, fb, acc[n]);
    }
  }
}

__device__ inline void zero_acc(AccRow& acc) {
#pragma unroll
  for (int n = 0; n < kAccFragments; ++n) mma::fill_fragment(acc[n], 0.0f);
}

// The accumulator fragments to or from a warp's f32 strip [kMma][Dp] (row stride ld).
__device__ inline void store_acc(const AccRow& acc, float* strip, int ld, int Dp) {
#pragma unroll
  for (int n = 0; n < kAccFragments; ++n)
    if (n * attention_plan::bf16::kMma < Dp)
      mma::store_matrix_sync(strip + n * attention_plan::bf16::kMma, acc[n], ld,
                             mma::mem_row_major);
}
__device__ inline void load_acc(AccRow& acc, const float* strip, int ld, int Dp) {
#pragma unroll
  for (int n = 0; n < kAccFragments; ++n)
    if (n * attention_plan::bf16::kMma < Dp)
      mma::load_matrix_sync(acc[n], strip + n * attention_plan::bf16::kMma, ld, mma::mem_row_major);
}

// dst rows 0..min(kMma, rows_left)-1 of a global [.][Dh] = factor * a warp's f32 strip (stride
// ld); all 32 lanes write one row at a time (coalesced).
__device__ inline void store_strip(const float* strip, int ld, float factor, float* dst,
                                   int64_t rows_left, int Dh, int lane) {
  for (int r = 0; r < attention_plan::bf16::kMma && r < rows_left; ++r)
    for (int d = lane; d < Dh; d += attention_plan::kWarpSize)
      dst[int64_t(r) * Dh + d] = strip[r * ld + d] * factor;
}

// Which cells of a warp's [kMma][kColTile] strip a lane scores: row lane / kLanesPerRow, columns
// col(t) = lane % kLanesPerRow + kLanesPerRow * t for t < kCols. Interleaving the two lanes of a
// row puts the 32 lanes of a step on 16 different banks (rows are kScoreStride = 4 mod 32 apart).
struct StripLane {
  static constexpr int kCols = attention_plan::bf16::kColTile / attention_plan::bf16::kLanesPerRow;
  int row, first;
  __device__ explicit StripLane(int lane)
      : row(lane / attention_plan::bf16::kLanesPerRow),
        first(lane % attention_plan::bf16::kLanesPerRow) {}
  __device__ int col(int t) const { return first + attention_plan::bf16::kLanesPerRow * t; }
};

// The same value from both lanes of a strip row (xor 1 pairs lanes 2r and 2r + 1).
__device__ inline float row_max(float v) {
  static_assert(attention_plan::bf16::kLanesPerRow == 2, "one shuffle combines a row's lanes");
  return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
}
__device__ inline float row_sum(float v) {
  return v + __shfl_xor_sync(0xffffffffu, v, 1);  // a + b == b + a: both lanes agree exactly
}

// The backward's launches shared by both precisions (cuda_attention_backward.cu):
// D[r] = dout[r] . out[r] for every row (dout rounded to bf16 first when round_dout: the bf16
// kernels' dP sees the rounded dout, and D must match it so sum_j P (dP - D) stays ~0), and
// dslopes[h] = partial[b][h][t] summed over b, then t, in a fixed order.
// The backward workspace as both precisions split it: D [B*H*Tq], then the slope partials (null
// when dslopes is not wanted: no slopes or no dslopes).
struct BackwardWorkspace {
  float* D;
  float* slope_partial;
  BackwardWorkspace(const AttentionShape& s, const float* slopes, const float* dslopes,
                    float* workspace)
      : D(workspace),
        slope_partial(slopes != nullptr && dslopes != nullptr ? workspace + s.B * s.H * s.Tq
                                                              : nullptr) {}
};
void launch_row_dot(cudaStream_t stream, const float* dout, const float* out, float* D,
                    int64_t rows, int Dh, bool round_dout);
void launch_reduce_slopes(cudaStream_t stream, const float* partial, float* dslopes, int64_t B,
                          int64_t H, int64_t tiles);

// Kernels above 48 KiB of dynamic shared memory must opt in (sm_80 and later allow more). The
// opt-in is made once per kernel, device and size, not per launch: a training step's launches
// may be recorded into a graph, and the attribute call is no stream work.
template <class Kernel>
void allow_shared_memory(Kernel kernel, size_t bytes) {
  if (bytes <= 48 * 1024) return;
  static std::mutex mutex;
  static std::map<std::pair<const void*, int>, size_t> allowed;  // (kernel, device) -> bytes
  int device = 0;
  FG_CUDA_CHECK(cudaGetDevice(&device));
  std::lock_guard<std::mutex> lock(mutex);
  size_t& done = allowed[{reinterpret_cast<const void*>(kernel), device}];
  if (bytes <= done) return;
  FG_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     static_cast<int>(bytes)));
  done = bytes;
}

}  // namespace fg::kernels::cuda
