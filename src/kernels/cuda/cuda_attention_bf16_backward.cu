// Fused attention backward with bf16 q, k, v on tensor cores (WMMA 16x16x16, f32 accumulation),
// as the f32 kernels (cuda_attention_backward.cu) but in 64-row blocks of four 16-row warp
// strips: P is recomputed per tile from the saved lse, nothing T x T is stored, and every output
// element is written by one thread in a fixed order (no atomics: deterministic). Four launches:
//   1. D = rowsum(bf16(dout) * out) (launch_row_dot; dout rounded as the dP products see it);
//   2. dQ per (b, h, 64 queries): streams key tiles; S = q k^T and dP = dout v^T on tensor
//      cores, dS = P * (drop * dP - D) in f32, dQ += dS k on tensor cores (dS rounded to bf16),
//      and the tile's partial sum of dS * (j - i - offset) for dslopes;
//   3. dK, dV per (b, kv head, 64 keys): streams the query tiles of every query head of the group
//      (grouped-query); S^T = k q^T and dP^T = v dout^T, then dV += (P * drop)^T dout and
//      dK += dS^T q, with P * drop and dS rounded to bf16;
//   4. dslopes[h] = the partials of head h summed in a fixed order (launch_reduce_slopes).
// The operands (q, k, v, dout, P * drop, dS) are bf16; D, the softmax recomputation, dS itself,
// the accumulators, the gradients and dslopes are f32, as in the CPU's bf16 kernels.
// Tiling plan and shared-memory layout: attention_plan::bf16 (cuda_attention_plan.h).
#include "kernels/cuda/cuda_attention.cuh"

namespace fg::kernels::cuda {

namespace {

using namespace bf16_kernel_names;

__global__ void __launch_bounds__(kBlockThreads)
    attention_dq_bf16_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift, float scale,
                        const uint16_t* q, const uint16_t* k, const uint16_t* v,
                        const float* slopes, const float* lse, const float* D, const float* dout,
                        float* dq, float* slope_partial) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ __align__(128) unsigned char smem[];
  const int Dh = static_cast<int>(s.Dh), Dp = padded_head_dim(Dh), ld = operand_stride(Dh);
  const SmemLayout l = smem_layout(Bf16Kernel::Dq, Dh);
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  Bf16* Q = reinterpret_cast<Bf16*>(smem + l.rows_a);   // [kRowTile][ld]
  Bf16* dO = reinterpret_cast<Bf16*>(smem + l.rows_b);  // [kRowTile][ld], rounded
  Bf16* K = reinterpret_cast<Bf16*>(smem + l.cols_a);   // [kColTile][ld]
  Bf16* V = reinterpret_cast<Bf16*>(smem + l.cols_b);   // [kColTile][ld]
  // This warp's strips: S and dP [kMma][kScoreStride] (after the loop: dq's rows), dS (bf16).
  float* S = reinterpret_cast<float*>(smem + l.scores + warp * warp_scores_bytes(Bf16Kernel::Dq));
  const float* dP = S + kMma * kScoreStride;
  Bf16* dS = reinterpret_cast<Bf16*>(smem + l.probs + warp * warp_probs_bytes(Bf16Kernel::Dq));

  const HeadView hv(s, blockIdx.x);
  const int64_t i0 = int64_t(blockIdx.y) * kRowTile, strip0 = i0 + warp * kMma;
  const int64_t row0 = hv.bh * s.Tq;
  load_bf16_rows(q + row0 * Dh, s.Tq, i0, kRowTile, Dh, Dp, Q, ld);
  load_bf16_rows(dout + row0 * Dh, s.Tq, i0, kRowTile, Dh, Dp, dO, ld);
  const uint16_t* kh = k + hv.bkv * s.Tk * Dh;
  const uint16_t* vh = v + hv.bkv * s.Tk * Dh;
  const float slope = slopes ? slopes[hv.h] : 0.0f;
  const float keep_scale = attention_keep_scale(p);
  const StripLane sl(lane);  // strip row sl.row is query i
  const int64_t i = strip0 + sl.row;
  const float row_lse = i < s.Tq ? lse[row0 + i] : 0.0f;
  const float row_D = i < s.Tq ? D[row0 + i] : 0.0f;

  AccRow acc;
  zero_acc(acc);
  float slope_acc = 0.0f;
  const int64_t end = key_end(s, p, i0, kRowTile);
  for (int64_t j0 = 0; j0 < end; j0 += kColTile) {
    __syncthreads();  // every warp is done with the previous K, V (and, once, Q and dO are set)
    load_bf16_rows(kh, s.Tk, j0, kColTile, Dh, Dp, K, ld);
    load_bf16_rows(vh, s.Tk, j0, kColTile, Dh, Dp, V, ld);
    __syncthreads();
    strip_scores_and_grads(Q + warp * kMma * ld, K, dO + warp * kMma * ld, V, ld, Dp, S);
    for (int t = 0; t < StripLane::kCols; ++t) {
      const int c = sl.col(t);
      const int64_t j = j0 + c;
      float ds = 0.0f, unused;
      if (visible(s, p, i, j)) {
        const float rel = relative(p, i, j);
        ds = grad_score(S[sl.row * kScoreStride + c], dP[sl.row * kScoreStride + c], scale, slope,
                        row_lse, row_D, rel, dropout_factor(s, p, hv.b, hv.h, i, j, keep_scale),
                        &unused);
        slope_acc += ds * rel;
      }
      dS[sl.row * kProbStride + c] = to_bf16(ds);
    }
    __syncwarp();  // dS is written before the fragments read it
    accumulate_strip(dS, K, ld, Dp, acc);
  }
  // The warp's S, dP strips are read (the __syncwarp above) and now stage its dq rows.
  const int acc_ld = acc_stride(Dh);
  store_acc(acc, S, acc_ld, Dp);
  __syncwarp();
  store_strip(S, acc_ld, scale, dq + (row0 + strip0) * Dh, s.Tq - strip0, Dh, lane);
  // The same for the whole block, so store_block_sum's barriers are safe; once they have passed
  // no warp reads K any more, and its first floats hold the warp sums.
  if (slope_partial != nullptr)
    store_block_sum(slope_acc, reinterpret_cast<float*>(smem + l.cols_a),
                    slope_partial + hv.bh * gridDim.y + blockIdx.y);
}

// blockIdx.x = b * Hkv + kv head; blockIdx.y = key tile. Warp w owns keys j0 + 16 w + r.
__global__ void __launch_bounds__(kBlockThreads)
    attention_dkdv_bf16_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift,
                          float scale, const uint16_t* q, const uint16_t* k, const uint16_t* v,
                          const float* slopes, const float* lse, const float* D, const float* dout,
                          float* dk, float* dv) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ __align__(128) unsigned char smem[];
  const int Dh = static_cast<int>(s.Dh), Dp = padded_head_dim(Dh), ld = operand_stride(Dh);
  const SmemLayout l = smem_layout(Bf16Kernel::Dkdv, Dh);
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  Bf16* K = reinterpret_cast<Bf16*>(smem + l.rows_a);   // [kRowTile][ld]: this block's keys
  Bf16* V = reinterpret_cast<Bf16*>(smem + l.rows_b);   // [kRowTile][ld]
  Bf16* Q = reinterpret_cast<Bf16*>(smem + l.cols_a);   // [kColTile][ld]: streamed queries
  Bf16* dO = reinterpret_cast<Bf16*>(smem + l.cols_b);  // [kColTile][ld], rounded
  float* col_lse = reinterpret_cast<float*>(smem + l.col_stats);  // [kColTile]
  float* col_D = col_lse + kColTile;                              // [kColTile]
  // This warp's strips, key-major: S^T and dP^T [kMma][kScoreStride] (after the loop: dk's, then
  // dv's rows), P^T * drop and dS^T (bf16).
  float* St =
      reinterpret_cast<float*>(smem + l.scores + warp * warp_scores_bytes(Bf16Kernel::Dkdv));
  const float* dPt = St + kMma * kScoreStride;
  Bf16* Pd = reinterpret_cast<Bf16*>(smem + l.probs + warp * warp_probs_bytes(Bf16Kernel::Dkdv));
  Bf16* dSt = Pd + kMma * kProbStride;

  const int64_t bkv = blockIdx.x, b = bkv / s.Hkv, hkv = bkv % s.Hkv, group = s.H / s.Hkv;
  const int64_t j0 = int64_t(blockIdx.y) * kRowTile, strip0 = j0 + warp * kMma;
  load_bf16_rows(k + bkv * s.Tk * Dh, s.Tk, j0, kRowTile, Dh, Dp, K, ld);
  load_bf16_rows(v + bkv * s.Tk * Dh, s.Tk, j0, kRowTile, Dh, Dp, V, ld);
  const float keep_scale = attention_keep_scale(p);
  const StripLane sl(lane);  // strip row sl.row is key j, strip columns are queries
  const int64_t j = strip0 + sl.row;

  AccRow dk_acc, dv_acc;
  zero_acc(dk_acc);
  zero_acc(dv_acc);
  for (int64_t h = hkv * group; h < (hkv + 1) * group; ++h) {
    const int64_t row0 = (b * s.H + h) * s.Tq;
    const float slope = slopes ? slopes[h] : 0.0f;
    // query_begin is a lower bound for the block's first key j0, so for all its keys.
    for (int64_t i0 = query_begin(p, j0, kColTile); i0 < s.Tq; i0 += kColTile) {
      __syncthreads();  // every warp is done with the previous Q, dO and their stats
      load_bf16_rows(q + row0 * Dh, s.Tq, i0, kColTile, Dh, Dp, Q, ld);
      load_bf16_rows(dout + row0 * Dh, s.Tq, i0, kColTile, Dh, Dp, dO, ld);
      for (int c = threadIdx.x; c < kColTile; c += blockDim.x) {
        const bool inside = i0 + c < s.Tq;
        col_lse[c] = inside ? lse[row0 + i0 + c] : 0.0f;
        col_D[c] = inside ? D[row0 + i0 + c] : 0.0f;
      }
      __syncthreads();
      strip_scores_and_grads(K + warp * kMma * ld, Q, V + warp * kMma * ld, dO, ld, Dp, St);
      for (int t = 0; t < StripLane::kCols; ++t) {
        const int c = sl.col(t);
        const int64_t i = i0 + c;
        float ds = 0.0f, pd = 0.0f;
        if (visible(s, p, i, j))
          ds = grad_score(St[sl.row * kScoreStride + c], dPt[sl.row * kScoreStride + c], scale,
                          slope, col_lse[c], col_D[c], relative(p, i, j),
                          dropout_factor(s, p, b, h, i, j, keep_scale), &pd);
        Pd[sl.row * kProbStride + c] = to_bf16(pd);
        dSt[sl.row * kProbStride + c] = to_bf16(ds);
      }
      __syncwarp();  // P * drop and dS are written before the fragments read them
      accumulate_strip(Pd, dO, ld, Dp, dv_acc);
      accumulate_strip(dSt, Q, ld, Dp, dk_acc);
    }
  }
  // The warp's S^T, dP^T strips are read (the __syncwarp above) and now stage dk's, then dv's
  // rows.
  const int acc_ld = acc_stride(Dh);
  float* dst_k = dk + (bkv * s.Tk + strip0) * Dh;
  float* dst_v = dv + (bkv * s.Tk + strip0) * Dh;
  store_acc(dk_acc, St, acc_ld, Dp);
  __syncwarp();
  store_strip(St, acc_ld, scale, dst_k, s.Tk - strip0, Dh, lane);
  __syncwarp();  // the dk rows are read before dv's overwrite them
  store_acc(dv_acc, St, acc_ld, Dp);
  __syncwarp();
  store_strip(St, acc_ld, 1.0f, dst_v, s.Tk - strip0, Dh, lane);
}

}  // namespace

void CudaBackend::attention_backward_bf16(const AttentionShape& s, const AttentionParams& p,
                                          const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                          const float* slopes, const float* out, const float* lse,
                                          const float* dout, float* dq, float* dk, float* dv,
                                          float* dslopes, float* workspace) {
  check_attention_shape(s);
  const float scale = attention_scale(s, p);
  const int64_t rows = s.B * s.H * s.Tq, q_tiles = ceil_div(s.Tq, kRowTile);
  // BFloat16 is a struct holding the raw bits; the kernels read them as uint16_t.
  const auto* qb = reinterpret_cast<const uint16_t*>(q);
  const auto* kb = reinterpret_cast<const uint16_t*>(k);
  const auto* vb = reinterpret_cast<const uint16_t*>(v);
  // The f32 kernels' workspace; the fewer slope partials fit it (bf16::slope_partials).
  const BackwardWorkspace ws(s, slopes, dslopes, workspace);
  float *D = ws.D, *slope_partial = ws.slope_partial;
  launch_row_dot(stream_, dout, out, D, rows, static_cast<int>(s.Dh), true);

  const size_t dq_smem = smem_layout(Bf16Kernel::Dq, s.Dh).bytes;
  allow_shared_memory(attention_dq_bf16_k, dq_smem);
  attention_dq_bf16_k<<<dim3(static_cast<unsigned>(s.B * s.H), static_cast<unsigned>(q_tiles)),
                        kBlockThreads, dq_smem, stream_>>>(s, p, rng_shift_arg(), scale, qb, kb, vb,
                                                           slopes, lse, D, dout, dq, slope_partial);
  check_launch();

  const size_t dkdv_smem = smem_layout(Bf16Kernel::Dkdv, s.Dh).bytes;
  allow_shared_memory(attention_dkdv_bf16_k, dkdv_smem);
  attention_dkdv_bf16_k<<<dim3(static_cast<unsigned>(s.B * s.Hkv),
                               static_cast<unsigned>(ceil_div(s.Tk, kRowTile))),
                          kBlockThreads, dkdv_smem, stream_>>>(s, p, rng_shift_arg(), scale, qb, kb,
                                                               vb, slopes, lse, D, dout, dk, dv);
  check_launch();

  if (slope_partial) launch_reduce_slopes(stream_, slope_partial, dslopes, s.B, s.H, q_tiles);
}

}  // namespace fg::kernels::cuda
