// Backward pass of the fused attention; every tile recomputes P = exp(S - lse), nothing T x T is
// stored. Pass 0 (per (b, h, query tile)) writes D_i = dout_i . out_i and transposed q / dout
// tiles into the workspace. Then one of two race-free schedules (bitwise identical results):
//   TwoPass:   dq per (b, h, query tile), then dk, dv per (b, kv head, key tile);
//   PerKvHead: one item per (b, kv head) walks its key tiles and produces dq, dk and dv at once.
// Every output element is produced by one thread in a fixed order, so results are deterministic.
// With bf16 q, k, v (T = uint16_t, copies with AVX512-BF16) the five products run as vdpbf16ps dot
// products with f32 accumulation: dout, P and dS are rounded to bf16 as their operands; D, the
// softmax recomputation, dS itself, dslopes and the gradients stay f32.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/cpu/attention.h"
#include "kernels/cpu/attention_tiles.h"

namespace fg::kernels::cpu::FG_ISA_NS {
namespace {

using simd::V16;
// Keys per tile. Smaller than the forward's: the backward does ~2.5x the work per tile pair, and
// narrower tiles waste less on the masked half of diagonal tiles at the model's T of a few hundred.
constexpr int64_t kBlockK = 32;

template <class T>
struct Backward {
  using Lane = typename detail::OpsFor<T>::Lane;
  static constexpr int64_t kPer = detail::OpsFor<T>::kPerLane;
  const AttentionShape& s;
  const AttentionParams& p;
  const T *q, *k, *v;
  const float *slopes, *out, *lse, *dout;
  float *dq, *dk, *dv;
  float* D;              // [B,H,Tq] rowsum(dout * out)
  float* slope_partial;  // [B,H,nqt] sum of dS * rel per query tile
  Lane* qT;              // [B,H,nqt,Dh/kPer,W] transposed query tiles, written by pass 0
  Lane* doutT;           // [B,H,nqt,Dh/kPer,W] transposed dout tiles, written by pass 0
  Lane* qP;              // bf16: [B,H,nqt,W/2,Dh] q paired along the queries, written by pass 0
  Lane* doutP;           // bf16: [B,H,nqt,W/2,Dh] dout (rounded) paired likewise
  float scale;
  detail::DropoutLanes drop;  // 16 queries of one key

  // Rows of q and dout of query tile t as accum_queries takes them.
  const Lane* q_rows(int64_t bh, int64_t t, int64_t nqt, int64_t W) const {
    if constexpr (kPer == 1) return q + (bh * s.Tq + t * W) * s.Dh;
    return qP + (bh * nqt + t) * W / 2 * s.Dh;
  }
  const Lane* dout_rows(int64_t bh, int64_t t, int64_t nqt, int64_t W) const {
    if constexpr (kPer == 1) return dout + (bh * s.Tq + t * W) * s.Dh;
    return doutP + (bh * nqt + t) * W / 2 * s.Dh;
  }
};

// Query-side view of one (b, h, query tile): transposed q and dout, lse and D per query.
template <int NB, class T>
struct QueryTile {
  static constexpr int64_t W = 16 * NB;
  using Lane = typename Backward<T>::Lane;
  const Lane* qt;            // [Dh/kPer][W]
  const Lane* dot;           // [Dh/kPer][W]
  alignas(64) float lse[W];  // +inf in padding lanes, so P = 0 there
  alignas(64) float D[W];

  QueryTile(const Backward<T>& g, int64_t bh, int64_t t, int64_t nqt) {
    const int64_t off = (bh * nqt + t) * g.s.Dh / Backward<T>::kPer * W, row0 = bh * g.s.Tq + t * W;
    const int64_t nq = std::min(W, g.s.Tq - t * W);
    qt = g.qT + off;
    dot = g.doutT + off;
    for (int64_t i = 0; i < W; ++i) {
      lse[i] = i < nq ? g.lse[row0 + i] : INFINITY;
      D[i] = i < nq ? g.D[row0 + i] : 0.0f;
    }
  }
};

// From raw dots S = q.k and dP = dout.v (both [nj][W]) computes dS = P * (drop * dP - D).
// Leaves scale * dS in S and, when keep_pdrop, P * drop in dP. Returns sum dS * (j - i - offset).
template <int NB, class T>
float grad_scores(const Backward<T>& g, int64_t b, int64_t h, int64_t i0, int64_t j0, int64_t nj,
                  const QueryTile<NB, T>& qtile, float* S, float* dP, bool keep_pdrop) {
  constexpr int64_t W = 16 * NB;
  const float slope = g.slopes ? g.slopes[h] : 0.0f;
  const V16 vscale = simd::set1(g.scale), vslope = simd::set1(slope);
  V16 slope_sum = simd::zero();
  for (int nb = 0; nb < NB; ++nb) {
    const int64_t ib = i0 + 16 * nb;
    const V16 ipos = simd::set1(static_cast<float>(ib + g.p.query_offset)) + simd::iota();
    const V16 lse = simd::load(qtile.lse + 16 * nb), D = simd::load(qtile.D + 16 * nb);
    for (int64_t j = 0; j < nj; ++j) {
      float* sp = S + j * W + 16 * nb;
      float* dpp = dP + j * W + 16 * nb;
      const V16 rel = simd::set1(static_cast<float>(j0 + j)) - ipos;
      V16 pr = simd::exp(simd::fma(simd::load(sp), vscale, vslope * rel) - lse);
      if (g.p.causal) pr = simd::select(simd::greater(rel, simd::zero()), simd::zero(), pr);
      V16 pdrop = pr, dpv = simd::load(dpp);
      if (g.p.dropout_p > 0) {
        const V16 kf = g.drop.factors(attention_dropout_counter(g.s, g.p, b, h, ib, j0 + j));
        pdrop = pr * kf;
        dpv = dpv * kf;
      }
      const V16 ds = pr * (dpv - D);
      slope_sum = simd::fma(ds, rel, slope_sum);
      simd::store(sp, ds * vscale);
      if (keep_pdrop) simd::store(dpp, pdrop);
    }
  }
  return simd::reduce_add(slope_sum);
}

// Pass 0: D = rowsum(dout * out) and the transposed q and dout tiles, into the workspace; for bf16
// also q and dout (rounded) paired along the queries. D uses dout as the dP products see it
// (bf16: rounded), so sum_j P_ij (dP_ij - D_i) stays ~0 and the rounding puts no per-row bias
// into dS (which dslopes, weighted by j - i, would amplify).
template <int NB, class T>
void prepare_tile(const Backward<T>& g, int64_t bh, int64_t t, int64_t nqt) {
  constexpr int64_t W = 16 * NB;
  const int64_t Dh = g.s.Dh, nq = std::min(W, g.s.Tq - t * W), row0 = bh * g.s.Tq + t * W;
  const int64_t tile_off = (bh * nqt + t) * Dh * W;
  if constexpr (std::is_same_v<T, float>) {
    for (int64_t i = 0; i < nq; ++i) {
      const float *go = g.dout + (row0 + i) * Dh, *o = g.out + (row0 + i) * Dh;
      V16 acc = simd::zero();
      for (int64_t d = 0; d < Dh; d += 16) {
        const simd::Mask m = simd::mask_first(Dh - d);
        acc = simd::fma(simd::load(go + d, m), simd::load(o + d, m), acc);
      }
      g.D[row0 + i] = simd::reduce_add(acc);
    }
    detail::transpose_rows(g.q + row0 * Dh, nq, Dh, W, g.qT + tile_off);
    detail::transpose_rows(g.dout + row0 * Dh, nq, Dh, W, g.doutT + tile_off);
  }
#if defined(__AVX512BF16__)
  else {
    alignas(64) uint16_t dout16[detail::kMaxBlockQ * detail::kMaxDh];
    for (int64_t x = 0; x < nq * Dh; x += 16) {
      const simd::Mask m = simd::mask_first(nq * Dh - x);
      const __m256bh r = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, g.dout + row0 * Dh + x));
      _mm256_mask_storeu_epi16(dout16 + x, m, reinterpret_cast<__m256i>(r));
    }
    for (int64_t i = 0; i < nq; ++i) {
      const float* o = g.out + (row0 + i) * Dh;
      __m512 acc = _mm512_setzero_ps();
      for (int64_t d = 0; d < Dh; d += 16) {
        const simd::Mask m = simd::mask_first(Dh - d);
        const __m256i h = _mm256_maskz_loadu_epi16(m, dout16 + i * Dh + d);
        // bf16 -> f32 is a shift; the masked forms avoid GCC 12's spurious -Wmaybe-uninitialized.
        const __m512i wide = _mm512_maskz_cvtepu16_epi32(m, h);
        const __m512 go = _mm512_castsi512_ps(_mm512_maskz_slli_epi32(m, wide, 16));
        acc = _mm512_fmadd_ps(go, _mm512_maskz_loadu_ps(m, o + d), acc);
      }
      g.D[row0 + i] = simd::reduce_add(V16{acc});
    }
    const int64_t pair_off = tile_off / 2;  // both layouts hold Dh*W/2 pairs per tile
    detail::transpose_pairs(g.q + row0 * Dh, nq, Dh, W, g.qT + pair_off);
    detail::transpose_pairs(dout16, nq, Dh, W, g.doutT + pair_off);
    detail::pair_rows(g.q + row0 * Dh, Dh, nq, g.qP + pair_off);
    detail::pair_rows(dout16, Dh, nq, g.doutP + pair_off);
  }
#endif
}

// Two-pass schedule, pass 1: dq of one query tile over its key tiles, and its slope partial.
template <int NB, class T>
void dq_tile(const Backward<T>& g, int64_t b, int64_t h, int64_t qt, int64_t nqt) {
  using Ops = detail::OpsFor<T>;
  constexpr int64_t W = 16 * NB;
  const AttentionShape& s = g.s;
  const int64_t Dh = s.Dh, i0 = qt * W, nq = std::min(W, s.Tq - i0);
  const int64_t kvh = h / (s.H / s.Hkv);
  const T* k = g.k + (b * s.Hkv + kvh) * s.Tk * Dh;
  const T* v = g.v + (b * s.Hkv + kvh) * s.Tk * Dh;
  const int64_t row0 = (b * s.H + h) * s.Tq + i0;
  const QueryTile<NB, T> qtile(g, b * s.H + h, qt, nqt);
  alignas(64) float S[kBlockK * W], dP[kBlockK * W];
  float* dq = g.dq + row0 * Dh;
  for (int64_t x = 0; x < nq * Dh; ++x) dq[x] = 0.0f;
  float slope_acc = 0;
  const int64_t kv_end = g.p.causal ? std::min(s.Tk, i0 + nq + g.p.query_offset) : s.Tk;
  for (int64_t j0 = 0; j0 < kv_end; j0 += kBlockK) {
    const int64_t nj = std::min(kBlockK, kv_end - j0);
    detail::dot_tile<NB, Ops>(qtile.qt, W, Dh, k + j0 * Dh, nj, S);
    detail::dot_tile<NB, Ops>(qtile.dot, W, Dh, v + j0 * Dh, nj, dP);
    slope_acc += grad_scores<NB>(g, b, h, i0, j0, nj, qtile, S, dP, false);
    detail::accum_keys<NB>(dq, nq, Dh, S, 0, k + j0 * Dh, nj, nullptr);
  }
  g.slope_partial[(b * s.H + h) * nqt + qt] = slope_acc;
}

// dk and dv of key tile kt, summed over the group's query heads. With with_dq the caller owns
// every key tile of this (b, kv head), visits them in order and has zeroed dq and the slope
// partials: dq and the partials then accumulate here in the same order as in dq_tile, so both
// schedules give bitwise identical results (extra masked keys only add exact zeros).
template <int NB, class T>
void dkv_tile(const Backward<T>& g, int64_t b, int64_t kvh, int64_t kt, int64_t nqt, bool with_dq) {
  using Ops = detail::OpsFor<T>;
  constexpr int64_t W = 16 * NB;
  const AttentionShape& s = g.s;
  const int64_t Dh = s.Dh, j0 = kt * kBlockK, nk = std::min(kBlockK, s.Tk - j0);
  const int64_t kv0 = ((b * s.Hkv + kvh) * s.Tk + j0) * Dh;
  float *dk = g.dk + kv0, *dv = g.dv + kv0;
  for (int64_t x = 0; x < nk * Dh; ++x) dk[x] = 0.0f, dv[x] = 0.0f;
  alignas(64) float S[kBlockK * W], dP[kBlockK * W];
  const int64_t group = s.H / s.Hkv;
  // The first query tile holding a query that sees key j0.
  const int64_t first_tile = g.p.causal ? std::max<int64_t>(0, j0 - g.p.query_offset) / W : 0;
  for (int64_t h = kvh * group; h < (kvh + 1) * group; ++h) {
    for (int64_t t = first_tile; t < nqt; ++t) {
      const int64_t i0 = t * W, nq = std::min(W, s.Tq - i0);
      const int64_t row0 = (b * s.H + h) * s.Tq + i0;
      const QueryTile<NB, T> qtile(g, b * s.H + h, t, nqt);
      detail::dot_tile<NB, Ops>(qtile.qt, W, Dh, g.k + kv0, nk, S);
      detail::dot_tile<NB, Ops>(qtile.dot, W, Dh, g.v + kv0, nk, dP);
      const float slope_part = grad_scores<NB>(g, b, h, i0, j0, nk, qtile, S, dP, true);
      detail::accum_queries<NB, T>(dv, nk, Dh, dP, nq, g.dout_rows(b * s.H + h, t, nqt, W));
      detail::accum_queries<NB, T>(dk, nk, Dh, S, nq, g.q_rows(b * s.H + h, t, nqt, W));
      if (!with_dq) continue;
      detail::accum_keys<NB>(g.dq + row0 * Dh, nq, Dh, S, 0, g.k + kv0, nk, nullptr);
      g.slope_partial[(b * s.H + h) * nqt + t] += slope_part;
    }
  }
}

// Per-(b, kv head) schedule: one item owns a kv head's key tiles and its query heads' dq.
template <int NB, class T>
void per_kv_head(const Backward<T>& g, int64_t b, int64_t kvh, int64_t nqt) {
  const AttentionShape& s = g.s;
  const int64_t group = s.H / s.Hkv;
  const int64_t bh0 = b * s.H + kvh * group;
  std::fill(g.dq + bh0 * s.Tq * s.Dh, g.dq + (bh0 + group) * s.Tq * s.Dh, 0.0f);
  std::fill(g.slope_partial + bh0 * nqt, g.slope_partial + (bh0 + group) * nqt, 0.0f);
  const int64_t nkt = (s.Tk + kBlockK - 1) / kBlockK;
  for (int64_t kt = 0; kt < nkt; ++kt) dkv_tile<NB>(g, b, kvh, kt, nqt, true);
}

// Whether one item per (b, kv head) beats the two-pass schedule (which does ~1.4x the work but
// splits it finely): compare the busiest thread's share.
bool use_per_kv_head(const AttentionShape& s, AttentionBackwardSchedule schedule) {
  if (schedule != AttentionBackwardSchedule::Auto)
    return schedule == AttentionBackwardSchedule::PerKvHead;
  const int64_t items = s.B * s.Hkv, threads = omp_get_max_threads();
  return ((items + threads - 1) / threads) * 10 * threads <= 14 * items;
}

template <int NB, class T>
void backward_all(const Backward<T>& g, float* dslopes, AttentionBackwardSchedule schedule) {
  const AttentionShape& s = g.s;
  const int64_t nqt = (s.Tq + 16 * NB - 1) / (16 * NB);
#pragma omp parallel for schedule(static)
  for (int64_t it = 0; it < s.B * s.H * nqt; ++it) prepare_tile<NB>(g, it / nqt, it % nqt, nqt);
  if (use_per_kv_head(s, schedule)) {
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t it = 0; it < s.B * s.Hkv; ++it) per_kv_head<NB>(g, it / s.Hkv, it % s.Hkv, nqt);
  } else {
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t it = 0; it < s.B * s.H * nqt; ++it) {
      const int64_t bh = it / nqt;
      dq_tile<NB>(g, bh / s.H, bh % s.H, nqt - 1 - it % nqt, nqt);
    }
    const int64_t nkt = (s.Tk + kBlockK - 1) / kBlockK;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t it = 0; it < s.B * s.Hkv * nkt; ++it) {
      const int64_t bh = it / nkt;
      dkv_tile<NB>(g, bh / s.Hkv, bh % s.Hkv, it % nkt, nqt, false);
    }
  }
  if (g.slopes == nullptr || dslopes == nullptr) return;
  for (int64_t h = 0; h < s.H; ++h) {
    double acc = 0;
    for (int64_t b = 0; b < s.B; ++b)
      for (int64_t t = 0; t < nqt; ++t) acc += g.slope_partial[(b * s.H + h) * nqt + t];
    dslopes[h] = static_cast<float>(acc);
  }
}

// Queries per tile (W); see kBlockK.
int64_t query_tile_width(int64_t Tq) {
  return Tq > 16 ? 32 : 16;
}

struct WorkspaceLayout {
  int64_t rows, tiles, tile_floats;
  explicit WorkspaceLayout(const AttentionShape& s) {
    const int64_t W = query_tile_width(s.Tq);
    rows = s.B * s.H * s.Tq;
    tiles = s.B * s.H * ((s.Tq + W - 1) / W);
    tile_floats = tiles * s.Dh * W;
  }
  int64_t total() const { return rows + tiles + 2 * tile_floats; }
};

int64_t workspace_size(const AttentionShape& shape) {
  return WorkspaceLayout(shape).total();
}

template <class T>
void backward(const AttentionShape& shape, const AttentionParams& params, const T* q, const T* k,
              const T* v, const float* slopes, const float* out, const float* lse,
              const float* dout, float* dq, float* dk, float* dv, float* dslopes, float* workspace,
              AttentionBackwardSchedule schedule) {
  using Lane = typename Backward<T>::Lane;
  const WorkspaceLayout ws(shape);
  float* slope_partial = workspace + ws.rows;
  // f32: two regions of tile_floats, the transposed q and dout tiles. bf16: each region holds
  // the transposed pairs (tile_floats / 2 lanes) and then the pairs along the queries.
  Lane* qT = reinterpret_cast<Lane*>(slope_partial + ws.tiles);
  Lane* doutT = qT + ws.tile_floats;
  Lane* qP = Backward<T>::kPer == 2 ? qT + ws.tile_floats / 2 : nullptr;
  Lane* doutP = Backward<T>::kPer == 2 ? doutT + ws.tile_floats / 2 : nullptr;
  const Backward<T> g{
      shape,
      params,
      q,
      k,
      v,
      slopes,
      out,
      lse,
      dout,
      dq,
      dk,
      dv,
      workspace,
      slope_partial,
      qT,
      doutT,
      qP,
      doutP,
      attention_scale(shape, params),
      detail::DropoutLanes(params, attention_keep_scale(params), static_cast<uint64_t>(shape.Tk))};
  if (query_tile_width(shape.Tq) == 32)
    backward_all<2>(g, dslopes, schedule);
  else
    backward_all<1>(g, dslopes, schedule);
}

}  // namespace

void attention_backward(const AttentionShape& shape, const AttentionParams& params, const float* q,
                        const float* k, const float* v, const float* slopes, const float* out,
                        const float* lse, const float* dout, float* dq, float* dk, float* dv,
                        float* dslopes, float* workspace, AttentionBackwardSchedule schedule) {
  backward(shape, params, q, k, v, slopes, out, lse, dout, dq, dk, dv, dslopes, workspace,
           schedule);
}

int64_t attention_backward_workspace_size(const AttentionShape& shape) {
  return workspace_size(shape);
}

#if defined(__AVX512BF16__)
void attention_backward_bf16(const AttentionShape& shape, const AttentionParams& params,
                             const uint16_t* q, const uint16_t* k, const uint16_t* v,
                             const float* slopes, const float* out, const float* lse,
                             const float* dout, float* dq, float* dk, float* dv, float* dslopes,
                             float* workspace, AttentionBackwardSchedule schedule) {
  backward(shape, params, q, k, v, slopes, out, lse, dout, dq, dk, dv, dslopes, workspace,
           schedule);
}
#endif

}  // namespace fg::kernels::cpu::FG_ISA_NS
