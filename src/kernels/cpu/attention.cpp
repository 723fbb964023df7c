// Forward pass of the fused attention: per (b, h, query tile), loop over key tiles with an online
// softmax. Score tiles are key-major (see attention_tiles.h), the output rows accumulate in place.
#include "kernels/cpu/attention.h"

#include <cmath>

#include "kernels/cpu/attention_tiles.h"

namespace fg::kernels::cpu {
namespace {

using detail::kBlockK;
using detail::kMaxBlockQ;
using detail::kMaxDh;
using simd::V16;
static_assert(kAttentionMaxHeadDim == kMaxDh);
// Up to this many queries in a tile, per-row dot products beat the 16-lane query tile.
constexpr int64_t kFewQueries = 2;

struct Forward {
  const AttentionShape& s;
  const AttentionParams& p;
  const float *q, *k, *v, *slopes;
  float *out, *lse;
  float scale, keep_scale;
};

// Per-query running max m, running sum l and this tile's rescale factor alpha.
struct RowStats {
  alignas(64) float m[kMaxBlockQ];
  alignas(64) float l[kMaxBlockQ];
  alignas(64) float alpha[kMaxBlockQ];
};

// Turns raw dots S [nj][W] of key tile j0 into dropped-out probabilities in place and updates m, l.
template <int NB>
void online_softmax(const Forward& f, int64_t b, int64_t h, int64_t i0, int64_t j0, int64_t nj,
                    float slope, float* S, RowStats& st) {
  constexpr int64_t W = 16 * NB;
  const V16 vscale = simd::set1(f.scale), vslope = simd::set1(slope);
  for (int nb = 0; nb < NB; ++nb) {
    const int64_t ib = i0 + 16 * nb;
    const V16 ipos = simd::set1(static_cast<float>(ib + f.p.query_offset)) + simd::iota();
    const V16 m_old = simd::load(st.m + 16 * nb);
    V16 mx = m_old;
    for (int64_t j = 0; j < nj; ++j) {
      float* sp = S + j * W + 16 * nb;
      const V16 rel = simd::set1(static_cast<float>(j0 + j)) - ipos;
      V16 sc = simd::fma(simd::load(sp), vscale, vslope * rel);
      if (f.p.causal) sc = simd::select(simd::greater(rel, simd::zero()), simd::neg_inf(), sc);
      simd::store(sp, sc);
      mx = simd::max(mx, sc);
    }
    const V16 alpha = simd::exp(m_old - mx);
    V16 sum = simd::load(st.l + 16 * nb) * alpha;
    for (int64_t j = 0; j < nj; ++j) {
      float* sp = S + j * W + 16 * nb;
      V16 pr = simd::exp(simd::load(sp) - mx);
      sum = sum + pr;
      if (f.p.dropout_p > 0) {
        pr = pr * detail::dropout_factors(f.s, f.p, f.keep_scale, b, h, ib, j0 + j);
      }
      simd::store(sp, pr);
    }
    simd::store(st.m + 16 * nb, mx);
    simd::store(st.l + 16 * nb, sum);
    simd::store(st.alpha + 16 * nb, alpha);
  }
}

template <int NB>
void forward_tile(const Forward& f, int64_t b, int64_t h, int64_t qt) {
  constexpr int64_t W = 16 * NB;
  const AttentionShape& s = f.s;
  const int64_t Dh = s.Dh, i0 = qt * W, nq = std::min(W, s.Tq - i0);
  const int64_t kvh = h / (s.H / s.Hkv);
  const float* k = f.k + (b * s.Hkv + kvh) * s.Tk * Dh;
  const float* v = f.v + (b * s.Hkv + kvh) * s.Tk * Dh;
  const int64_t row0 = (b * s.H + h) * s.Tq + i0;
  float* out = f.out + row0 * Dh;
  const float slope = f.slopes ? f.slopes[h] : 0.0f;

  alignas(64) float qt_tile[kMaxDh * W];  // [Dh][W]
  alignas(64) float S[kBlockK * W];       // [keys][W]
  RowStats st;
  detail::transpose_rows(f.q + row0 * Dh, nq, Dh, W, qt_tile);
  for (int64_t i = 0; i < W; ++i) st.m[i] = -INFINITY, st.l[i] = 0.0f;
  for (int64_t x = 0; x < nq * Dh; ++x) out[x] = 0.0f;

  const int64_t kv_end = f.p.causal ? std::min(s.Tk, i0 + nq + f.p.query_offset) : s.Tk;
  for (int64_t j0 = 0; j0 < kv_end; j0 += kBlockK) {
    const int64_t nj = std::min(kBlockK, kv_end - j0);
    if (nq <= kFewQueries)
      detail::dot_rows(f.q + row0 * Dh, nq, Dh, k + j0 * Dh, nj, W, S);
    else
      detail::dot_tile<NB>(qt_tile, Dh, k + j0 * Dh, nj, S);
    online_softmax<NB>(f, b, h, i0, j0, nj, slope, S, st);
    detail::accum_rows(out, nq, Dh, S, 1, W, nj, v + j0 * Dh, st.alpha);
  }
  for (int64_t i = 0; i < nq; ++i) {
    const float inv = 1.0f / st.l[i];
    for (int64_t d = 0; d < Dh; ++d) out[i * Dh + d] *= inv;
    f.lse[row0 + i] = st.m[i] + std::log(st.l[i]);
  }
}

template <int NB>
void forward_all(const Forward& f) {
  const int64_t nqt = (f.s.Tq + 16 * NB - 1) / (16 * NB);
  const int64_t items = f.s.B * f.s.H * nqt;
  // Largest (latest) query tiles first: causal work grows with the tile index.
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t it = 0; it < items; ++it) {
    const int64_t bh = it / nqt;
    forward_tile<NB>(f, bh / f.s.H, bh % f.s.H, nqt - 1 - it % nqt);
  }
}

}  // namespace

void attention_forward(const AttentionShape& shape, const AttentionParams& params, const float* q,
                       const float* k, const float* v, const float* slopes, float* out,
                       float* lse) {
  const Forward f{shape,
                  params,
                  q,
                  k,
                  v,
                  slopes,
                  out,
                  lse,
                  attention_scale(shape, params),
                  attention_keep_scale(params)};
  if (shape.Tq > 32)
    forward_all<4>(f);
  else if (shape.Tq > 16)
    forward_all<2>(f);
  else
    forward_all<1>(f);
}

}  // namespace fg::kernels::cpu
