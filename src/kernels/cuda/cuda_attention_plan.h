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
#include "kernels/host_device.h"

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

// The dK/dV kernel streams query tiles from query_begin (a multiple of `tile`) to Tq for keys
// from j0 on: queries before it see none of them.
FG_HOST_DEVICE constexpr int64_t query_begin(const AttentionParams& p, int64_t j0,
                                             int64_t tile = kLaneTile) {
  if (!p.causal || j0 <= p.query_offset) return 0;
  return (j0 - p.query_offset) / tile * tile;
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

// ---- the bf16 kernels (cuda_attention_bf16*.cu): WMMA 16x16x16 tiles on tensor cores ----
// A block of bf16::kWarps warps owns bf16::kRowTile rows (query rows in the forward and dQ
// kernels, keys in the dK/dV kernel), one 16-row WMMA strip per warp, and streams the other side
// in tiles of bf16::kColTile. Operand tiles are bf16 in shared memory with the head dim zero-padded
// to a multiple of 16; scores, probabilities' f32 sums and accumulators are f32.
namespace bf16 {

constexpr int kMma = 16;   // WMMA m = n = k for bf16
constexpr int kWarps = 4;  // warps per block
constexpr int kBlockThreads = kWarps * kWarpSize;
constexpr int kRowTile = kWarps * kMma;         // rows per block (64), kMma per warp
constexpr int kColTile = 64;                    // streamed tile (keys or queries)
constexpr int kLanesPerRow = kWarpSize / kMma;  // the softmax pass: 2 lanes per strip row
static_assert(kColTile % (kMma * kLanesPerRow) == 0, "a row's columns split evenly over its lanes");

// WMMA wants ldm a multiple of 8 elements (bf16) or 4 (f32) and every fragment pointer 32-byte
// aligned. The pads (+8 bf16 = 16 bytes, +4 f32) keep that and shift successive rows by 4 banks,
// so the 8 rows a fragment load touches at once hit different banks.
FG_HOST_DEVICE constexpr int padded_head_dim(int64_t Dh) {
  return static_cast<int>(ceil_div(Dh, kMma) * kMma);
}
FG_HOST_DEVICE constexpr int operand_stride(int64_t Dh) {  // bf16 [rows][Dh]: q, k, v, dout
  return padded_head_dim(Dh) + 8;
}
constexpr int kScoreStride = kColTile + 4;  // f32 [kMma][kColTile] per warp: S, dP
constexpr int kProbStride = kColTile + 8;   // bf16 [kMma][kColTile] per warp: P * drop, dS
FG_HOST_DEVICE constexpr int acc_stride(int64_t Dh) {  // f32 [kMma][Dh]: out, dq, dk, dv rows
  return padded_head_dim(Dh) + 4;
}

constexpr size_t kAlign = 32;  // WMMA's pointer alignment, in bytes
FG_HOST_DEVICE constexpr size_t align_up(size_t bytes) {
  return (bytes + kAlign - 1) / kAlign * kAlign;
}
FG_HOST_DEVICE constexpr size_t operand_tile_bytes(int64_t Dh, int rows) {
  return align_up(size_t(rows) * operand_stride(Dh) * 2);
}
enum class Bf16Kernel { Forward, Dq, Dkdv };

// Each warp's scratch: f32 score strips [kMma][kScoreStride] (S; the backward also dP) and bf16
// probability strips [kMma][kProbStride] (P * drop or dS; the dK/dV kernel both). In the
// backward the two score strips, once the loop is done, stage the warp's kMma accumulator rows on
// their way to global memory.
FG_HOST_DEVICE constexpr int score_strips(Bf16Kernel kernel) {
  return kernel == Bf16Kernel::Forward ? 1 : 2;
}
FG_HOST_DEVICE constexpr int prob_strips(Bf16Kernel kernel) {
  return kernel == Bf16Kernel::Dkdv ? 2 : 1;
}
FG_HOST_DEVICE constexpr size_t warp_scores_bytes(Bf16Kernel kernel) {
  return align_up(size_t(score_strips(kernel)) * kMma * kScoreStride * 4);
}
FG_HOST_DEVICE constexpr size_t warp_probs_bytes(Bf16Kernel kernel) {
  return align_up(size_t(prob_strips(kernel)) * kMma * kProbStride * 2);
}
FG_HOST_DEVICE constexpr size_t warp_acc_bytes(int64_t Dh) {
  return align_up(size_t(kMma) * acc_stride(Dh) * 4);
}

// Byte offsets of the shared-memory regions of one kernel, each 32-byte aligned; a region the
// kernel lacks takes no bytes (its offset equals the next one's).
struct SmemLayout {
  size_t rows_a = 0;     // bf16 [kRowTile][ld]: q (forward, dQ) or k (dK/dV)
  size_t rows_b = 0;     // bf16 [kRowTile][ld]: dout (dQ) or v (dK/dV)
  size_t cols_a = 0;     // bf16 [kColTile][ld]: streamed k (forward, dQ) or q (dK/dV)
  size_t cols_b = 0;     // bf16 [kColTile][ld]: streamed v (forward, dQ) or dout (dK/dV)
  size_t scores = 0;     // per warp: warp_scores_bytes(kernel)
  size_t probs = 0;      // per warp: warp_probs_bytes(kernel)
  size_t acc = 0;        // per warp: warp_acc_bytes(Dh) (forward: the rescaled out rows)
  size_t col_stats = 0;  // f32 [2][kColTile]: the streamed queries' lse and D (dK/dV)
  size_t bytes = 0;      // total
};

FG_HOST_DEVICE constexpr SmemLayout smem_layout(Bf16Kernel kernel, int64_t Dh) {
  SmemLayout l;
  size_t at = 0;
  l.rows_a = at;
  at += operand_tile_bytes(Dh, kRowTile);
  l.rows_b = at;
  if (kernel != Bf16Kernel::Forward) at += operand_tile_bytes(Dh, kRowTile);
  l.cols_a = at;
  at += operand_tile_bytes(Dh, kColTile);
  l.cols_b = at;
  at += operand_tile_bytes(Dh, kColTile);
  l.scores = at;
  at += size_t(kWarps) * warp_scores_bytes(kernel);
  l.probs = at;
  at += size_t(kWarps) * warp_probs_bytes(kernel);
  l.acc = at;
  if (kernel == Bf16Kernel::Forward) at += size_t(kWarps) * warp_acc_bytes(Dh);
  l.col_stats = at;
  if (kernel == Bf16Kernel::Dkdv) at += align_up(size_t(2) * kColTile * 4);
  l.bytes = at;
  return l;
}

// The dQ and dK/dV kernels stage their accumulator rows through the warp's score scratch.
static_assert(size_t(kMma) * (kMaxHeadDim + 4) * 4 <= 2 * size_t(kMma) * kScoreStride * 4,
              "the score scratch holds a warp's accumulator rows at the largest head dim");

// The backward's workspace is the f32 kernels' (backward_workspace_floats): D, then one partial
// sum of dS * relative position per (b, h, query row tile), fewer tiles here than there.
static_assert(kRowTile >= attention_plan::kRowTile, "the f32 workspace holds the slope partials");
FG_HOST_DEVICE constexpr int64_t slope_partials(const AttentionShape& s) {
  return s.B * s.H * ceil_div(s.Tq, kRowTile);
}

}  // namespace bf16

}  // namespace fg::kernels::cuda::attention_plan

namespace fg::kernels::cuda {
// Throws fg::Error naming the shape when it exceeds the kernels' launch limits (beyond the op's
// checks: the grid's y dimension counts row tiles of Tq or Tk). Defined in cuda_backend.cpp.
void check_attention_shape(const AttentionShape& s);
}  // namespace fg::kernels::cuda
