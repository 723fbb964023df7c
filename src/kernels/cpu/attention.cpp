// Forward pass of the fused attention: per (b, h, query tile), loop over key tiles with an online
// softmax. Score tiles are key-major (see attention_tiles.h), the output rows accumulate in place.
// The same code runs on f32 q, k, v and, in copies built with AVX512-BF16, on bf16 ones (T =
// uint16_t): then QK^T and PV are vdpbf16ps dot products, P is rounded to bf16 for PV, and the
// softmax, the row statistics and the output stay f32.
#include "kernels/cpu/attention.h"

#include <cmath>
#include <type_traits>

#include "kernels/cpu/attention_tiles.h"

namespace fg::kernels::cpu::FG_ISA_NS {
namespace {

using detail::kBlockK;
using detail::kMaxBlockQ;
using detail::kMaxDh;
using simd::V16;
static_assert(kAttentionMaxHeadDim == kMaxDh);
// Up to this many queries, one row at a time with keys in lanes beats a 16-lane query tile.
constexpr int64_t kFewQueries = 2;

template <class T>
struct Forward {
  const AttentionShape& s;
  const AttentionParams& p;
  const T *q, *k, *v;
  const float* slopes;
  float *out, *lse;
  float scale;
  detail::DropoutLanes drop_q;  // 16 queries of one key
  detail::DropoutLanes drop_k;  // 16 keys of one query
};

// Per-query running max m, running sum l and this tile's rescale factor alpha.
struct RowStats {
  alignas(64) float m[kMaxBlockQ];
  alignas(64) float l[kMaxBlockQ];
  alignas(64) float alpha[kMaxBlockQ];
};

// Turns raw dots S [nj][W] of key tile j0 into dropped-out probabilities in place and updates m, l,
// for the query chunks c0..NB-1 (earlier chunks see none of these keys and stay untouched).
template <int NB, class T>
void online_softmax(const Forward<T>& f, int64_t b, int64_t h, int64_t i0, int64_t c0, int64_t j0,
                    int64_t nj, float slope, float* S, RowStats& st) {
  constexpr int64_t W = 16 * NB;
  const V16 vscale = simd::set1(f.scale), vslope = simd::set1(slope);
  for (int64_t nb = c0; nb < NB; ++nb) {
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
        pr = pr * f.drop_q.factors(attention_dropout_counter(f.s, f.p, b, h, ib, j0 + j));
      }
      simd::store(sp, pr);
    }
    simd::store(st.m + 16 * nb, mx);
    simd::store(st.l + 16 * nb, sum);
    simd::store(st.alpha + 16 * nb, alpha);
  }
}

template <int NB, class T>
void forward_tile(const Forward<T>& f, int64_t b, int64_t h, int64_t qt) {
  using Ops = detail::OpsFor<T>;
  constexpr int64_t W = 16 * NB, per = Ops::kPerLane;
  const AttentionShape& s = f.s;
  const int64_t Dh = s.Dh, i0 = qt * W, nq = std::min(W, s.Tq - i0);
  const int64_t kvh = h / (s.H / s.Hkv);
  const T* k = f.k + (b * s.Hkv + kvh) * s.Tk * Dh;
  const T* v = f.v + (b * s.Hkv + kvh) * s.Tk * Dh;
  const int64_t row0 = (b * s.H + h) * s.Tq + i0;
  float* out = f.out + row0 * Dh;
  const float slope = f.slopes ? f.slopes[h] : 0.0f;

  alignas(64) typename Ops::Lane qt_tile[kMaxDh / per * W];  // [Dh/per][W]
  alignas(64) float S[kBlockK * W];                          // [keys][W]
  RowStats st;
  if constexpr (per == 1) detail::transpose_rows(f.q + row0 * Dh, nq, Dh, W, qt_tile);
#if defined(__AVX512BF16__)
  else
    detail::transpose_pairs(f.q + row0 * Dh, nq, Dh, W, qt_tile);
#endif
  for (int64_t i = 0; i < W; ++i) st.m[i] = -INFINITY, st.l[i] = 0.0f;
  for (int64_t x = 0; x < nq * Dh; ++x) out[x] = 0.0f;

  const int64_t diag = i0 + f.p.query_offset;  // position of the tile's first query
  const int64_t kv_end = f.p.causal ? std::min(s.Tk, diag + nq) : s.Tk;
  for (int64_t j0 = 0, nj = 0; j0 < kv_end; j0 += nj) {
    // Near the diagonal go 16 keys at a time and skip the query chunks that see none of them.
    const bool near_diag = f.p.causal && j0 + kBlockK - 1 > diag;
    nj = std::min(near_diag ? 16 : kBlockK, kv_end - j0);
    const int64_t c0 = near_diag ? std::max<int64_t>(0, j0 - diag) / 16 : 0;
    detail::dot_chunks<Ops>(NB - c0, qt_tile + 16 * c0, W, Dh, k + j0 * Dh, nj, S + 16 * c0);
    online_softmax<NB>(f, b, h, i0, c0, j0, nj, slope, S, st);
    detail::accum_keys<NB>(out, nq, Dh, S, c0, v + j0 * Dh, nj, st.alpha);
  }
  for (int64_t i = 0; i < nq; ++i) {
    const float inv = 1.0f / st.l[i];
    for (int64_t d = 0; d < Dh; ++d) out[i * Dh + d] *= inv;
    f.lse[row0 + i] = st.m[i] + std::log(st.l[i]);
  }
}

// Scores of one query against key tile j0 with keys in lanes: p[j] = exp(S[j] - m_new) * drop,
// updating the row's running max m and sum l; returns the rescale factor of the old state.
float softmax_row(const Forward<float>& f, int64_t b, int64_t h, int64_t i, int64_t j0, int64_t nj,
                  float slope, float* sc, float& m, float& l) {
  const float pos = static_cast<float>(i + f.p.query_offset);
  V16 mx = simd::neg_inf();
  for (int64_t j = 0; j < nj; j += 16) {
    const simd::Mask valid = simd::mask_first(nj - j);
    const V16 rel = simd::set1(static_cast<float>(j0 + j) - pos) + simd::iota();
    V16 x = simd::fma(simd::load(sc + j), simd::set1(f.scale), simd::set1(slope) * rel);
    x = simd::select(valid, x, simd::neg_inf());
    if (f.p.causal) x = simd::select(simd::greater(rel, simd::zero()), simd::neg_inf(), x);
    simd::store(sc + j, x);
    mx = simd::max(mx, x);
  }
  const float m_new = std::max(m, simd::reduce_max(mx));
  const float alpha = std::exp(m - m_new);
  V16 sum = simd::zero();
  const uint64_t c0 = attention_dropout_counter(f.s, f.p, b, h, i, j0);
  for (int64_t j = 0; j < nj; j += 16) {
    V16 pr = simd::exp(simd::load(sc + j) - simd::set1(m_new));
    sum = sum + pr;
    if (f.p.dropout_p > 0) pr = pr * f.drop_k.factors(c0 + j);
    simd::store(sc + j, pr);
  }
  m = m_new;
  l = l * alpha + simd::reduce_add(sum);
  return alpha;
}

// One query row (decoding: few queries, many keys): dots per key, softmax with keys in lanes.
void forward_row(const Forward<float>& f, int64_t b, int64_t h, int64_t i) {
  const AttentionShape& s = f.s;
  const int64_t Dh = s.Dh, kvh = h / (s.H / s.Hkv);
  const float* k = f.k + (b * s.Hkv + kvh) * s.Tk * Dh;
  const float* v = f.v + (b * s.Hkv + kvh) * s.Tk * Dh;
  const int64_t row = (b * s.H + h) * s.Tq + i;
  const float* q = f.q + row * Dh;
  float* out = f.out + row * Dh;
  const float slope = f.slopes ? f.slopes[h] : 0.0f;
  alignas(64) float sc[kBlockK];
  float m = -INFINITY, l = 0.0f;
  for (int64_t d = 0; d < Dh; ++d) out[d] = 0.0f;
  const int64_t kv_end = f.p.causal ? std::min(s.Tk, i + 1 + f.p.query_offset) : s.Tk;
  for (int64_t j0 = 0; j0 < kv_end; j0 += kBlockK) {
    const int64_t nj = std::min(kBlockK, kv_end - j0);
    detail::dot_rows(q, k + j0 * Dh, nj, Dh, sc);
    const float alpha = softmax_row(f, b, h, i, j0, nj, slope, sc, m, l);
    detail::accum_rows(out, 1, Dh, sc, 0, 1, nj, v + j0 * Dh, &alpha);
  }
  const float inv = 1.0f / l;
  for (int64_t d = 0; d < Dh; ++d) out[d] *= inv;
  f.lse[row] = m + std::log(l);
}

template <int NB, class T>
void forward_all(const Forward<T>& f) {
  const int64_t nqt = (f.s.Tq + 16 * NB - 1) / (16 * NB);
  const int64_t items = f.s.B * f.s.H * nqt;
  // Largest (latest) query tiles first: causal work grows with the tile index.
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t it = 0; it < items; ++it) {
    const int64_t bh = it / nqt;
    forward_tile<NB>(f, bh / f.s.H, bh % f.s.H, nqt - 1 - it % nqt);
  }
}

template <class T>
void forward(const AttentionShape& shape, const AttentionParams& params, const T* q, const T* k,
             const T* v, const float* slopes, float* out, float* lse) {
  const float keep_scale = attention_keep_scale(params);
  const Forward<T> f{shape,
                     params,
                     q,
                     k,
                     v,
                     slopes,
                     out,
                     lse,
                     attention_scale(shape, params),
                     detail::DropoutLanes(params, keep_scale, static_cast<uint64_t>(shape.Tk)),
                     detail::DropoutLanes(params, keep_scale, 1)};
  // Decoding (few queries) has a row kernel in f32 only; bf16 runs it as a query tile.
  if (std::is_same_v<T, float> && shape.Tq <= kFewQueries) {
    if constexpr (std::is_same_v<T, float>) {
#pragma omp parallel for schedule(dynamic, 1)
      for (int64_t r = 0; r < shape.B * shape.H * shape.Tq; ++r) {
        const int64_t bh = r / shape.Tq;
        forward_row(f, bh / shape.H, bh % shape.H, r % shape.Tq);
      }
    }
  } else if (shape.Tq > 32)
    forward_all<4>(f);
  else if (shape.Tq > 16)
    forward_all<2>(f);
  else
    forward_all<1>(f);
}

}  // namespace

void attention_forward(const AttentionShape& shape, const AttentionParams& params, const float* q,
                       const float* k, const float* v, const float* slopes, float* out,
                       float* lse) {
  forward(shape, params, q, k, v, slopes, out, lse);
}

#if defined(__AVX512BF16__)
void attention_forward_bf16(const AttentionShape& shape, const AttentionParams& params,
                            const uint16_t* q, const uint16_t* k, const uint16_t* v,
                            const float* slopes, float* out, float* lse) {
  forward(shape, params, q, k, v, slopes, out, lse);
}
#endif

}  // namespace fg::kernels::cpu::FG_ISA_NS
