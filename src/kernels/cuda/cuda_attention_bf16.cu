// Fused attention forward with bf16 q, k, v on tensor cores (WMMA 16x16x16, f32 accumulation),
// flash-style: a block owns kRowTile = 64 query rows of one (b, h), one 16-row strip per warp,
// and streams the visible key tiles of 64 through shared memory. Per tile each warp computes its
// strip of scores S = q k^T on tensor cores, runs the online softmax in f32 (two lanes per row),
// writes P * drop rounded to bf16, rescales its f32 output rows in shared memory and adds P v on
// tensor cores. The head dim is zero-padded to a multiple of 16 in shared memory (zeros add
// nothing to q.k, and the padded output columns are never stored). Tiling plan and shared-memory
// layout: attention_plan::bf16 (cuda_attention_plan.h); semantics: attention_shape.h.
#include "kernels/cuda/cuda_attention.cuh"

namespace fg::kernels::cuda {

namespace {

using namespace bf16_kernel_names;

__global__ void __launch_bounds__(kBlockThreads)
    attention_forward_bf16_k(AttentionShape s, AttentionParams p, const uint64_t* rng_shift,
                             float scale, const uint16_t* q, const uint16_t* k, const uint16_t* v,
                             const float* slopes, float* out, float* lse) {
  // A recorded launch draws the replay's fresh masks (GraphCapture::replay).
  p.rng_base = shifted_rng_base(p.rng_base, rng_shift);
  extern __shared__ __align__(128) unsigned char smem[];
  const int Dh = static_cast<int>(s.Dh), Dp = padded_head_dim(Dh), ld = operand_stride(Dh);
  const int acc_ld = acc_stride(Dh);
  const SmemLayout l = smem_layout(Bf16Kernel::Forward, Dh);
  const int warp = threadIdx.x / kWarpSize, lane = threadIdx.x % kWarpSize;
  Bf16* Q = reinterpret_cast<Bf16*>(smem + l.rows_a);  // [kRowTile][ld]
  Bf16* K = reinterpret_cast<Bf16*>(smem + l.cols_a);  // [kColTile][ld]
  Bf16* V = reinterpret_cast<Bf16*>(smem + l.cols_b);  // [kColTile][ld]
  // This warp's strips: S [kMma][kScoreStride], P * drop [kMma][kProbStride], out [kMma][acc_ld].
  float* S =
      reinterpret_cast<float*>(smem + l.scores + warp * warp_scores_bytes(Bf16Kernel::Forward));
  Bf16* P = reinterpret_cast<Bf16*>(smem + l.probs + warp * warp_probs_bytes(Bf16Kernel::Forward));
  float* O = reinterpret_cast<float*>(smem + l.acc + warp * warp_acc_bytes(Dh));

  const HeadView hv(s, blockIdx.x);
  const int64_t i0 = int64_t(blockIdx.y) * kRowTile, strip0 = i0 + warp * kMma;
  const uint16_t* kh = k + hv.bkv * s.Tk * Dh;
  const uint16_t* vh = v + hv.bkv * s.Tk * Dh;
  load_bf16_rows(q + hv.bh * s.Tq * Dh, s.Tq, i0, kRowTile, Dh, Dp, Q, ld);
  for (int e = lane; e < kMma * acc_ld; e += kWarpSize) O[e] = 0.0f;
  const float slope = slopes ? slopes[hv.h] : 0.0f;
  const float keep_scale = attention_keep_scale(p);

  // Lanes 2r and 2r + 1 own strip row r (query i) and hold identical copies of its statistics.
  const StripLane sl(lane);
  const int64_t i = strip0 + sl.row;
  OnlineRow row;
  const int64_t end = key_end(s, p, i0, kRowTile);
  for (int64_t j0 = 0; j0 < end; j0 += kColTile) {
    __syncthreads();  // every warp is done with the previous K, V (and, once, Q and O are set)
    load_bf16_rows(kh, s.Tk, j0, kColTile, Dh, Dp, K, ld);
    load_bf16_rows(vh, s.Tk, j0, kColTile, Dh, Dp, V, ld);
    __syncthreads();
    strip_scores(Q + warp * kMma * ld, K, ld, Dp, S);
    __syncwarp();  // the fragment stores are visible to the lanes that read the cells

    float* srow = S + sl.row * kScoreStride;
    float tile_max = -INFINITY;
    for (int t = 0; t < StripLane::kCols; ++t) {
      const int64_t j = j0 + sl.col(t);
      const float score =
          visible(s, p, i, j) ? scale * srow[sl.col(t)] + slope * relative(p, i, j) : -INFINITY;
      srow[sl.col(t)] = score;  // a lane rereads only its own cells below
      tile_max = fmaxf(tile_max, score);
    }
    const float alpha = online_rescale(row, row_max(tile_max));
    float tile_sum = 0.0f;
    Bf16* prow = P + sl.row * kProbStride;
    for (int t = 0; t < StripLane::kCols; ++t) {
      const int64_t j = j0 + sl.col(t);
      // Visible implies row.max >= score > -inf, so no -inf - -inf.
      const bool vis = visible(s, p, i, j);
      const float pr = vis ? expf(srow[sl.col(t)] - row.max) : 0.0f;
      tile_sum += pr;  // the normaliser sums the undropped, unrounded P
      prow[sl.col(t)] =
          to_bf16(vis ? pr * dropout_factor(s, p, hv.b, hv.h, i, j, keep_scale) : 0.0f);
    }
    row.sum += row_sum(tile_sum);
    float* orow = O + sl.row * acc_ld;
    for (int d = sl.first; d < Dp; d += kLanesPerRow) orow[d] *= alpha;
    __syncwarp();  // P and the rescaled rows are written before the fragments read them

    AccRow acc;
    load_acc(acc, O, acc_ld, Dp);
    accumulate_strip(P, V, ld, Dp, acc);
    store_acc(acc, O, acc_ld, Dp);
  }
  __syncwarp();  // the last fragment stores are visible to the row owners
  // sum >= exp(0) for rows inside Tq: key 0 is visible to every row, so the division is safe.
  const float inv_sum = i < s.Tq ? 1.0f / row.sum : 0.0f;
  for (int d = sl.first; d < Dh; d += kLanesPerRow) O[sl.row * acc_ld + d] *= inv_sum;
  if (sl.first == 0 && i < s.Tq) lse[hv.bh * s.Tq + i] = row.max + logf(row.sum);
  __syncwarp();
  store_strip(O, acc_ld, 1.0f, out + (hv.bh * s.Tq + strip0) * Dh, s.Tq - strip0, Dh, lane);
}

}  // namespace

void CudaBackend::attention_forward_bf16(const AttentionShape& s, const AttentionParams& p,
                                         const BFloat16* q, const BFloat16* k, const BFloat16* v,
                                         const float* slopes, float* out, float* lse) {
  check_attention_shape(s);
  const dim3 grid(static_cast<unsigned>(s.B * s.H),
                  static_cast<unsigned>(ceil_div(s.Tq, kRowTile)));
  const size_t smem = smem_layout(Bf16Kernel::Forward, s.Dh).bytes;
  allow_shared_memory(attention_forward_bf16_k, smem);
  // BFloat16 is a struct holding the raw bits; the kernels read them as uint16_t.
  attention_forward_bf16_k<<<grid, kBlockThreads, smem, stream_>>>(
      s, p, rng_shift_arg(), attention_scale(s, p), reinterpret_cast<const uint16_t*>(q),
      reinterpret_cast<const uint16_t*>(k), reinterpret_cast<const uint16_t*>(v), slopes, out, lse);
  check_launch();
}

}  // namespace fg::kernels::cuda
