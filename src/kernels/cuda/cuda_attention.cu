// Fused attention forward on CUDA cores in f32 (flash-style, never a T x T buffer): a block owns
// kRowTile query rows of one (b, h), kRowsPerWarp per warp, and streams the visible key tiles
// through shared memory. Per tile each lane scores one key for each of its warp's rows, the warp
// runs one online-softmax step per row, and the lanes then accumulate out over their head-dim
// columns. Tiling plan and shared math: cuda_attention_plan.h; semantics: attention_shape.h.
#include "kernels/cuda/cuda_attention.cuh"

namespace fg::kernels::cuda {

namespace {

using namespace attention_plan;

__global__ void __launch_bounds__(kBlockThreads)
    attention_forward_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift, float scale,
                        const float* q, const float* k, const float* v, const float* slopes,
                        float* out, float* lse) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ float smem[];
  const int Dh = static_cast<int>(s.Dh), ks = padded_stride(Dh);
  float* K = smem;                // [kLaneTile][ks]: read one key per lane
  float* V = K + kLaneTile * ks;  // [kLaneTile][Dh]: read one column per lane
  float* Q = V + kLaneTile * Dh;  // [kRowTile][Dh]
  float* P = Q + kRowTile * Dh;   // [kRowTile][kLaneTile]: dropped, unnormalised probabilities
  const HeadView hv(s, blockIdx.x);
  const int64_t i0 = int64_t(blockIdx.y) * kRowTile;
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  const float* qh = q + hv.bh * s.Tq * Dh;
  const float* kh = k + hv.bkv * s.Tk * Dh;
  const float* vh = v + hv.bkv * s.Tk * Dh;
  load_rows(qh, s.Tq, i0, kRowTile, Dh, Q, Dh);
  const float slope = slopes ? slopes[hv.h] : 0.0f;
  const float keep_scale = attention_keep_scale(p);

  OnlineRow row[kRowsPerWarp];
  float acc[kRowsPerWarp][kDimsPerLane] = {};
  const int64_t end = key_end(s, p, i0, kRowTile);
  for (int64_t j0 = 0; j0 < end; j0 += kLaneTile) {
    stream_tiles(kh, vh, s.Tk, j0, kLaneTile, Dh, K, ks, V, Dh);
    const int64_t j = j0 + lane;
#pragma unroll
    for (int rr = 0; rr < kRowsPerWarp; ++rr) {
      const int r = warp * kRowsPerWarp + rr;
      const int64_t i = i0 + r;
      const bool vis = visible(s, p, i, j);
      const float score =
          vis ? scale * dot_shared(Q + r * Dh, K + lane * ks, Dh) + slope * relative(p, i, j)
              : -INFINITY;
      const float alpha = online_rescale(row[rr], warp_max(score));
      const float pr = vis ? expf(score - row[rr].max) : 0.0f;
      row[rr].sum += warp_sum(pr);
      P[r * kLaneTile + lane] = vis ? pr * dropout_factor(s, p, hv.b, hv.h, i, j, keep_scale) : 0.f;
#pragma unroll
      for (int c = 0; c < kDimsPerLane; ++c) acc[rr][c] *= alpha;
    }
    __syncwarp();  // P rows are written and read by the same warp
#pragma unroll
    for (int rr = 0; rr < kRowsPerWarp; ++rr)
      accumulate_tile(P + (warp * kRowsPerWarp + rr) * kLaneTile, V, Dh, Dh, lane, acc[rr]);
  }
#pragma unroll
  for (int rr = 0; rr < kRowsPerWarp; ++rr) {
    const int64_t i = i0 + warp * kRowsPerWarp + rr;
    if (i >= s.Tq) continue;
    // sum >= exp(0): key 0 is visible to every row, so the division is safe.
    store_row(acc[rr], 1.0f / row[rr].sum, out + (hv.bh * s.Tq + i) * Dh, Dh, lane);
    if (lane == 0) lse[hv.bh * s.Tq + i] = row[rr].max + logf(row[rr].sum);
  }
}

}  // namespace

void CudaBackend::attention_forward(const AttentionShape& s, const AttentionParams& p,
                                    const float* q, const float* k, const float* v,
                                    const float* slopes, float* out, float* lse) {
  check_attention_shape(s);
  const dim3 grid(static_cast<unsigned>(s.B * s.H),
                  static_cast<unsigned>(ceil_div(s.Tq, kRowTile)));
  const size_t smem = forward_smem_floats(s.Dh) * sizeof(float);
  allow_shared_memory(attention_forward_k, smem);
  attention_forward_k<<<grid, kBlockThreads, smem, stream_>>>(
      s, p, rng_shift_arg(), attention_scale(s, p), q, k, v, slopes, out, lse);
  check_launch();
}

}  // namespace fg::kernels::cuda
