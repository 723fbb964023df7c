// Fused attention backward on CUDA cores in f32, as FlashAttention-2: P is recomputed per tile
// from the saved row log-sum-exp, nothing T x T is stored, and every output element is written by
// one thread in a fixed order (no atomics, so results are deterministic). Four launches:
//   1. D = rowsum(dout * out), one warp per row;
//   2. dQ per (b, h, query tile): streams key tiles, dS = P * (drop * dout.v - D),
//      dQ = scale * dS K; also the tile's partial sum of dS * (j - i - offset) for dslopes;
//   3. dK, dV per (b, kv head, key tile): streams the query tiles of every query head that reads
//      this kv head (grouped-query), dV = (P * drop)^T dout, dK = scale * dS^T Q;
//   4. dslopes[h] = the partials of head h summed in a fixed order.
// Tiling plan and shared math: cuda_attention_plan.h; semantics: kernels/ref/attention.cpp.
#include "kernels/cuda/cuda_attention.cuh"

namespace fg::kernels::cuda {

namespace {

using namespace attention_plan;

__global__ void row_dot_k(const float* dout, const float* out, float* D, int64_t rows, int Dh,
                          bool round_dout) {
  const int64_t r = int64_t(blockIdx.x) * (blockDim.x / kWarpSize) + threadIdx.x / kWarpSize;
  if (r >= rows) return;
  float acc = 0.0f;
  for (int d = threadIdx.x % kWarpSize; d < Dh; d += kWarpSize) {
    const float g = dout[r * Dh + d];
    acc += (round_dout ? __bfloat162float(__float2bfloat16_rn(g)) : g) * out[r * Dh + d];
  }
  acc = warp_sum(acc);
  if (threadIdx.x % kWarpSize == 0) D[r] = acc;
}

__global__ void __launch_bounds__(kBlockThreads)
    attention_dq_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift, float scale,
                   const float* q, const float* k, const float* v, const float* slopes,
                   const float* lse, const float* D, const float* dout, float* dq,
                   float* slope_partial) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ float smem[];
  __shared__ float warp_slope[kWarps];
  const int Dh = static_cast<int>(s.Dh), ks = padded_stride(Dh);
  float* K = smem;                 // [kLaneTile][ks]
  float* V = K + kLaneTile * ks;   // [kLaneTile][ks]
  float* Q = V + kLaneTile * ks;   // [kRowTile][Dh]
  float* dO = Q + kRowTile * Dh;   // [kRowTile][Dh]
  float* dS = dO + kRowTile * Dh;  // [kRowTile][kLaneTile]
  const HeadView hv(s, blockIdx.x);
  const int64_t i0 = int64_t(blockIdx.y) * kRowTile;
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  const int64_t row0 = hv.bh * s.Tq;
  load_rows(q + row0 * Dh, s.Tq, i0, kRowTile, Dh, Q, Dh);
  load_rows(dout + row0 * Dh, s.Tq, i0, kRowTile, Dh, dO, Dh);
  const float* kh = k + hv.bkv * s.Tk * Dh;
  const float* vh = v + hv.bkv * s.Tk * Dh;
  const float slope = slopes ? slopes[hv.h] : 0.0f;
  const float keep_scale = attention_keep_scale(p);
  float row_lse[kRowsPerWarp], row_D[kRowsPerWarp];
#pragma unroll
  for (int rr = 0; rr < kRowsPerWarp; ++rr) {
    const int64_t i = i0 + warp * kRowsPerWarp + rr;
    row_lse[rr] = i < s.Tq ? lse[row0 + i] : 0.0f;
    row_D[rr] = i < s.Tq ? D[row0 + i] : 0.0f;
  }

  float acc[kRowsPerWarp][kDimsPerLane] = {};
  float slope_acc = 0.0f;
  const int64_t end = key_end(s, p, i0, kRowTile);
  for (int64_t j0 = 0; j0 < end; j0 += kLaneTile) {
    stream_tiles(kh, vh, s.Tk, j0, kLaneTile, Dh, K, ks, V, ks);
    const int64_t j = j0 + lane;
#pragma unroll
    for (int rr = 0; rr < kRowsPerWarp; ++rr) {
      const int r = warp * kRowsPerWarp + rr;
      const int64_t i = i0 + r;
      float ds = 0.0f, unused;
      if (visible(s, p, i, j)) {
        const float rel = relative(p, i, j);
        ds =
            grad_score(dot_shared(Q + r * Dh, K + lane * ks, Dh),
                       dot_shared(dO + r * Dh, V + lane * ks, Dh), scale, slope, row_lse[rr],
                       row_D[rr], rel, dropout_factor(s, p, hv.b, hv.h, i, j, keep_scale), &unused);
        slope_acc += ds * rel;
      }
      dS[r * kLaneTile + lane] = ds;
    }
    __syncwarp();
#pragma unroll
    for (int rr = 0; rr < kRowsPerWarp; ++rr)
      accumulate_tile(dS + (warp * kRowsPerWarp + rr) * kLaneTile, K, ks, Dh, lane, acc[rr]);
  }
#pragma unroll
  for (int rr = 0; rr < kRowsPerWarp; ++rr) {
    const int64_t i = i0 + warp * kRowsPerWarp + rr;
    if (i < s.Tq) store_row(acc[rr], scale, dq + (row0 + i) * Dh, Dh, lane);
  }
  if (slope_partial != nullptr)  // the same for the whole block: the barriers are safe
    store_block_sum(slope_acc, warp_slope, slope_partial + hv.bh * gridDim.y + blockIdx.y);
}

// blockIdx.x = b * Hkv + kv head; blockIdx.y = key tile. Warp w owns keys kRowsPerWarp * w + kk.
__global__ void __launch_bounds__(kBlockThreads)
    attention_dkdv_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift, float scale,
                     const float* q, const float* k, const float* v, const float* slopes,
                     const float* lse, const float* D, const float* dout, float* dk, float* dv) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ float smem[];
  const int Dh = static_cast<int>(s.Dh), ld = padded_stride(Dh);
  float* Q = smem;                        // [kLaneTile][ld]: one query per lane, then by column
  float* dO = Q + kLaneTile * ld;         // [kLaneTile][ld]
  float* K = dO + kLaneTile * ld;         // [kRowTile][Dh]
  float* V = K + kRowTile * Dh;           // [kRowTile][Dh]
  float* Pd = V + kRowTile * Dh;          // [kRowTile][kLaneTile]: P * drop
  float* dS = Pd + kRowTile * kLaneTile;  // [kRowTile][kLaneTile]
  const int64_t bkv = blockIdx.x, b = bkv / s.Hkv, hkv = bkv % s.Hkv, group = s.H / s.Hkv;
  const int64_t j0 = int64_t(blockIdx.y) * kRowTile;
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  load_rows(k + bkv * s.Tk * Dh, s.Tk, j0, kRowTile, Dh, K, Dh);
  load_rows(v + bkv * s.Tk * Dh, s.Tk, j0, kRowTile, Dh, V, Dh);
  const float keep_scale = attention_keep_scale(p);

  float dk_acc[kRowsPerWarp][kDimsPerLane] = {};
  float dv_acc[kRowsPerWarp][kDimsPerLane] = {};
  for (int64_t h = hkv * group; h < (hkv + 1) * group; ++h) {
    const int64_t row0 = (b * s.H + h) * s.Tq;
    const float slope = slopes ? slopes[h] : 0.0f;
    for (int64_t i0 = query_begin(p, j0); i0 < s.Tq; i0 += kLaneTile) {
      stream_tiles(q + row0 * Dh, dout + row0 * Dh, s.Tq, i0, kLaneTile, Dh, Q, ld, dO, ld);
      const int64_t i = i0 + lane;  // this lane's query: its lse and D live in registers
      const float row_lse = i < s.Tq ? lse[row0 + i] : 0.0f;
      const float row_D = i < s.Tq ? D[row0 + i] : 0.0f;
#pragma unroll
      for (int kk = 0; kk < kRowsPerWarp; ++kk) {
        const int c = warp * kRowsPerWarp + kk;
        const int64_t j = j0 + c;
        float ds = 0.0f, pd = 0.0f;
        if (visible(s, p, i, j))
          ds = grad_score(dot_shared(Q + lane * ld, K + c * Dh, Dh),
                          dot_shared(dO + lane * ld, V + c * Dh, Dh), scale, slope, row_lse, row_D,
                          relative(p, i, j), dropout_factor(s, p, b, h, i, j, keep_scale), &pd);
        Pd[c * kLaneTile + lane] = pd;
        dS[c * kLaneTile + lane] = ds;
      }
      __syncwarp();
#pragma unroll
      for (int kk = 0; kk < kRowsPerWarp; ++kk) {
        const int c = warp * kRowsPerWarp + kk;
        accumulate_tile(Pd + c * kLaneTile, dO, ld, Dh, lane, dv_acc[kk]);
        accumulate_tile(dS + c * kLaneTile, Q, ld, Dh, lane, dk_acc[kk]);
      }
    }
  }
#pragma unroll
  for (int kk = 0; kk < kRowsPerWarp; ++kk) {
    const int64_t j = j0 + warp * kRowsPerWarp + kk;
    if (j >= s.Tk) continue;
    store_row(dk_acc[kk], scale, dk + (bkv * s.Tk + j) * Dh, Dh, lane);
    store_row(dv_acc[kk], 1.0f, dv + (bkv * s.Tk + j) * Dh, Dh, lane);
  }
}

// dslopes[h] = sum over b, then query tiles, of partial[b][h][t].
__global__ void reduce_slopes_k(const float* partial, float* dslopes, int64_t B, int64_t H,
                                int64_t tiles) {
  FG_GRID_STRIDE(h, H) {
    float total = 0.0f;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t t = 0; t < tiles; ++t) total += partial[(b * H + h) * tiles + t];
    dslopes[h] = total;
  }
}

}  // namespace

void launch_row_dot(cudaStream_t stream, const float* dout, const float* out, float* D,
                    int64_t rows, int Dh, bool round_dout) {
  constexpr int kRowsPerBlock = kRowThreads / kWarpSize;
  row_dot_k<<<static_cast<unsigned>(ceil_div(rows, kRowsPerBlock)), kRowThreads, 0, stream>>>(
      dout, out, D, rows, Dh, round_dout);
  check_launch();
}

void launch_reduce_slopes(cudaStream_t stream, const float* partial, float* dslopes, int64_t B,
                          int64_t H, int64_t tiles) {
  reduce_slopes_k<<<grid_for(H), kThreads, 0, stream>>>(partial, dslopes, B, H, tiles);
  check_launch();
}

int64_t CudaBackend::attention_backward_workspace_size(const AttentionShape& s) {
  return backward_workspace_floats(s);
}

void CudaBackend::attention_backward(const AttentionShape& s, const AttentionParams& p,
                                     const float* q, const float* k, const float* v,
                                     const float* slopes, const float* out, const float* lse,
                                     const float* dout, float* dq, float* dk, float* dv,
                                     float* dslopes, float* workspace) {
  check_attention_shape(s);
  const float scale = attention_scale(s, p);
  const int64_t rows = s.B * s.H * s.Tq, q_tiles = ceil_div(s.Tq, kRowTile);
  const BackwardWorkspace ws(s, slopes, dslopes, workspace);
  float *D = ws.D, *slope_partial = ws.slope_partial;
  launch_row_dot(stream_, dout, out, D, rows, static_cast<int>(s.Dh), false);

  const size_t dq_smem = dq_smem_floats(s.Dh) * sizeof(float);
  allow_shared_memory(attention_dq_k, dq_smem);
  attention_dq_k<<<dim3(static_cast<unsigned>(s.B * s.H), static_cast<unsigned>(q_tiles)),
                   kBlockThreads, dq_smem, stream_>>>(s, p, rng_shift_arg(), scale, q, k, v, slopes,
                                                      lse, D, dout, dq, slope_partial);
  check_launch();

  const size_t dkdv_smem = dkdv_smem_floats(s.Dh) * sizeof(float);
  allow_shared_memory(attention_dkdv_k, dkdv_smem);
  attention_dkdv_k<<<dim3(static_cast<unsigned>(s.B * s.Hkv),
                          static_cast<unsigned>(ceil_div(s.Tk, kRowTile))),
                     kBlockThreads, dkdv_smem, stream_>>>(s, p, rng_shift_arg(), scale, q, k, v,
                                                          slopes, lse, D, dout, dk, dv);
  check_launch();

  if (slope_partial) launch_reduce_slopes(stream_, slope_partial, dslopes, s.B, s.H, q_tiles);
}

}  // namespace fg::kernels::cuda
