#pragma once
// The tiling plan of the CUDA attention kernels (cuda_attention*.cu), in plain C++ so host tests
// can check it without a GPU: tile sizes, which key tiles a query tile streams and which query
// tiles a key tile streams under the causal mask, shared-memory sizes, and the per-element math
// (visibility, ALiBi position, dropout factor, one online-softmax step) the kernels use.
//
// Layout of work: a block owns kRowTile rows (query rows in the forward and dQ kernels, keys in
// the dK/dV kernel), kRowsPerWarp per warp, and streams the other side in tiles of kLaneTile, one
// element per lane. Each lane keeps accumulator columns d = lane + 32 c (c < kDimsPerLane).
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/attention_shape.h"

#ifdef __CUDACC__
#define FG_HOST_DEVICE __host__ __device__
#else
#define FG_HOST_DEVICE
#endif

namespace fg::kernels::cuda::attention_plan {

constexpr int kWarpSize = 32;
constexpr int kWarps = 4;                          // warps per block
constexpr int kBlockThreads = kWarps * kWarpSize;  // threads per block
constexpr int kRowsPerWarp = 4;                    // rows each warp owns
constexpr int kRowTile = kWarps * kRowsPerWarp;    // rows each block owns (16)
constexpr int kLaneTile = kWarpSize;               // streamed tile: one element per lane (32)
constexpr int kMaxHeadDim = 128;                   // accumulators: kDimsPerLane per lane and row
constexpr int kDimsPerLane = kMaxHeadDim / kWarpSize;

FG_HOST_DEVICE constexpr int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

// Row stride (floats) of a shared tile that 32 lanes read one row each at the same column: odd, so
// the lanes hit 32 different banks.
FG_HOST_DEVICE constexpr int padded_stride(int64_t Dh) {
  return static_cast<int>(Dh % 2 == 0 ? Dh + 1 : Dh);
}

// Whether query row i sees key j (both inside the tensors; causal: j <= i + query_offset).
FG_HOST_DEVICE constexpr bool visible(const AttentionShape& s, const AttentionParams& p, int64_t i,
                                      int64_t j) {
  return i < s.Tq && j < s.Tk && (!p.causal || j <= i + p.query_offset);
}

// ALiBi's relative position j - (i + query_offset), as the reference computes it.
FG_HOST_DEVICE constexpr float relative(const AttentionParams& p, int64_t i, int64_t j) {
  return static_cast<float>(j - (i + p.query_offset));
}

// The forward and dQ kernels stream key tiles [0, key_end) for query rows [i0, i0 + rows): past
// it no key is visible to any of those rows.
FG_HOST_DEVICE constexpr int64_t key_end(const AttentionShape& s, const AttentionParams& p,
                                         int64_t i0, int64_t rows) {
  if (!p.causal) return s.Tk;
  const int64_t last_row = (i0 + rows < s.Tq ? i0 + rows : s.Tq) - 1;
  const int64_t end = last_row + p.query_offset + 1;
  return end < s.Tk ? end : s.Tk;
}

// The dK/dV kernel streams query tiles from query_begin (a multiple of kLaneTile) to Tq for keys
// from j0 on: queries before it see none of them.
FG_HOST_DEVICE constexpr int64_t query_begin(const AttentionParams& p, int64_t j0) {
  if (!p.causal || j0 <= p.query_offset) return 0;
  return (j0 - p.query_offset) / kLaneTile * kLaneTile;
}

// P[i,j]'s dropout factor: keep_scale or 0 from the CPU kernels' own mask function, 1 without
// dropout.
FG_HOST_DEVICE constexpr float dropout_factor(const AttentionShape& s, const AttentionParams& p,
                                              int64_t b, int64_t h, int64_t i, int64_t j,
                                              float keep_scale) {
  if (p.dropout_p == 0) return 1.0f;
  return attention_keep(p, attention_dropout_counter(s, p, b, h, i, j)) ? keep_scale : 0.0f;
}

// A row's running max and sum of exp(score - max) (the online softmax).
struct OnlineRow {
  float max = -INFINITY;
  float sum = 0;
};

// Takes the max of the next tile's scores; returns the factor that rescales what was accumulated
// against the old max (1 while no key has been visible yet, so -inf - -inf never occurs).
FG_HOST_DEVICE inline float online_rescale(OnlineRow& row, float tile_max) {
  const float new_max = row.max > tile_max ? row.max : tile_max;
  const float alpha = new_max == -INFINITY ? 1.0f : expf(row.max - new_max);
  row.max = new_max;
  row.sum *= alpha;
  return alpha;
}

// Shared memory (floats) of each kernel for head dim Dh.
FG_HOST_DEVICE constexpr size_t forward_smem_floats(int64_t Dh) {
  // K [kLaneTile][padded], V [kLaneTile][Dh], Q [kRowTile][Dh], P [kRowTile][kLaneTile]
  return size_t(kLaneTile) * (padded_stride(Dh) + Dh) + size_t(kRowTile) * (Dh + kLaneTile);
}
FG_HOST_DEVICE constexpr size_t dq_smem_floats(int64_t Dh) {
  // K, V [kLaneTile][padded], Q, dO [kRowTile][Dh], dS [kRowTile][kLaneTile]
  return size_t(2) * kLaneTile * padded_stride(Dh) + size_t(kRowTile) * (2 * Dh + kLaneTile);
}
FG_HOST_DEVICE constexpr size_t dkdv_smem_floats(int64_t Dh) {
  // Q, dO [kLaneTile][padded], K, V [kRowTile][Dh], P * drop, dS [kRowTile][kLaneTile]
  return size_t(2) * kLaneTile * padded_stride(Dh) + size_t(kRowTile) * (2 * Dh + 2 * kLaneTile);
}

// Workspace of the backward (floats): D = rowsum(dout * out) [B*H*Tq], then the per-(b, h, query
// tile) partial sums of dS * relative position that reduce to dslopes [B*H*ceil(Tq/kRowTile)].
FG_HOST_DEVICE constexpr int64_t backward_workspace_floats(const AttentionShape& s) {
  return s.B * s.H * s.Tq + s.B * s.H * ceil_div(s.Tq, kRowTile);
}

}  // namespace fg::kernels::cuda::attention_plan

namespace fg::kernels::cuda {
// Throws fg::Error naming the shape when it exceeds the kernels' launch limits (beyond the op's
// checks: the grid's y dimension counts row tiles of Tq or Tk). Defined in cuda_backend.cpp.
void check_attention_shape(const AttentionShape& s);
}  // namespace fg::kernels::cuda
