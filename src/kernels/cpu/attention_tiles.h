#pragma once
// Register-blocked micro-kernels shared by the attention forward and backward passes.
// Internal to kernels/cpu/attention*.cpp. A query tile holds W = 16*NB queries; score tiles are
// stored key-major, S[j][i] with row stride W, so the softmax runs down the lanes (one lane per
// query) and every micro-kernel only broadcasts scalars and streams contiguous rows.
// The micro-kernels take their operands as f32 (F32Ops) or, in the copies built with AVX512-BF16,
// as bf16 pairs (Bf16Ops) that vdpbf16ps multiplies and sums into the same f32 accumulators.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/attention_shape.h"
#include "kernels/cpu/attention_bf16_ops.h"
#include "kernels/cpu/attention_simd.h"
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS::detail {

using simd::V16;

constexpr int64_t kBlockK = 64;     // keys per forward tile (the backward uses its own)
constexpr int64_t kMaxBlockQ = 64;  // queries per tile (W <= 64)
constexpr int64_t kMaxDh = 256;     // largest head_dim the stack tiles hold

// How a micro-kernel reads its operands: the lanes of a vector operand (Lane), the element of a
// broadcast operand (Scalar; kPerLane of them make one broadcast lane) and the multiply-add.
struct F32Ops {
  using Vec = V16;
  using Lane = float;
  using Scalar = float;
  static constexpr int64_t kPerLane = 1;
  static Vec load(const Lane* p) { return simd::load(p); }
  static Vec load(const Lane* p, simd::Mask m) { return simd::load(p, m); }
  static Vec broadcast(const Scalar* p) { return simd::set1(*p); }
  static V16 madd(Vec a, Vec b, V16 acc) { return simd::fma(a, b, acc); }
};

// dst [Dh][W] = src rows [n][Dh] transposed; columns n..W-1 are zero.
inline void transpose_rows(const float* src, int64_t n, int64_t Dh, int64_t W, float* dst) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t d = 0; d < Dh; ++d) dst[d * W + i] = src[i * Dh + d];
  for (int64_t d = 0; d < Dh; ++d)
    for (int64_t i = n; i < W; ++i) dst[d * W + i] = 0.0f;
}

// out[j][i] = sum_d xt[d][i] * y[j][d] for j < nj and i < 16*NC (NC chunks of 16 queries).
// xt [Dh/kPerLane][ld] (a transposed query-like tile), y [nj][Dh] (rows of k or v), out [nj][ld].
template <int NC, class Ops = F32Ops>
void dot_tile(const typename Ops::Lane* xt, int64_t ld, int64_t Dh, const typename Ops::Scalar* y,
              int64_t nj, float* out) {
  constexpr int J = NC == 4 ? 6 : (NC == 3 ? 8 : (NC == 2 ? 12 : 16));
  for (int64_t j0 = 0; j0 < nj; j0 += J) {
    const typename Ops::Scalar* yp[J];
#pragma GCC unroll 16
    for (int jj = 0; jj < J; ++jj) yp[jj] = y + std::min<int64_t>(j0 + jj, nj - 1) * Dh;
    V16 acc[J][NC];
#pragma GCC unroll 16
    for (int jj = 0; jj < J; ++jj)
#pragma GCC unroll 4
      for (int b = 0; b < NC; ++b) acc[jj][b] = simd::zero();
    for (int64_t d = 0; d < Dh / Ops::kPerLane; ++d) {
      typename Ops::Vec x[NC];
#pragma GCC unroll 4
      for (int b = 0; b < NC; ++b) x[b] = Ops::load(xt + d * ld + 16 * b);
#pragma GCC unroll 16
      for (int jj = 0; jj < J; ++jj) {
        const typename Ops::Vec yb = Ops::broadcast(yp[jj] + Ops::kPerLane * d);
#pragma GCC unroll 4
        for (int b = 0; b < NC; ++b) acc[jj][b] = Ops::madd(x[b], yb, acc[jj][b]);
      }
    }
    const int64_t rows = std::min<int64_t>(J, nj - j0);
#pragma GCC unroll 16
    for (int jj = 0; jj < J; ++jj) {
      if (jj >= rows) break;
#pragma GCC unroll 4
      for (int b = 0; b < NC; ++b) simd::store(out + (j0 + jj) * ld + 16 * b, acc[jj][b]);
    }
  }
}

// dot_tile with a run-time chunk count nc in 1..4.
template <class Ops = F32Ops>
void dot_chunks(int64_t nc, const typename Ops::Lane* xt, int64_t ld, int64_t Dh,
                const typename Ops::Scalar* y, int64_t nj, float* out) {
  switch (nc) {
    case 1:
      dot_tile<1, Ops>(xt, ld, Dh, y, nj, out);
      break;
    case 2:
      dot_tile<2, Ops>(xt, ld, Dh, y, nj, out);
      break;
    case 3:
      dot_tile<3, Ops>(xt, ld, Dh, y, nj, out);
      break;
    default:
      dot_tile<4, Ops>(xt, ld, Dh, y, nj, out);
      break;
  }
}

// One column block (C chunks of 16, the last masked by `last`) of accum_rows, R rows at a time
// (rows past nr in the last group repeat row nr-1 and are not stored).
template <int C, int R, class Ops>
void accum_block(float* acc, int64_t nr, int64_t ld, simd::Mask last,
                 const typename Ops::Scalar* coef, int64_t rs, int64_t cs, int64_t nc,
                 const typename Ops::Lane* src, const float* alpha) {
  simd::Mask mk[C];
#pragma GCC unroll 4
  for (int c = 0; c < C; ++c) mk[c] = c == C - 1 ? last : simd::mask_first(16);
  for (int64_t r0 = 0; r0 < nr; r0 += R) {
    const typename Ops::Scalar* cp[R];
    V16 a[R][C];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const int64_t rr = std::min<int64_t>(r0 + r, nr - 1);
      cp[r] = coef + rr * rs;
      const V16 sc = simd::set1(alpha ? alpha[rr] : 1.0f);
#pragma GCC unroll 4
      for (int c = 0; c < C; ++c) a[r][c] = simd::load(acc + rr * ld + 16 * c, mk[c]) * sc;
    }
    for (int64_t k = 0; k < nc; ++k) {
      typename Ops::Vec s[C];
#pragma GCC unroll 4
      for (int c = 0; c < C; ++c) s[c] = Ops::load(src + k * ld + 16 * c, mk[c]);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const typename Ops::Vec w = Ops::broadcast(cp[r] + k * cs);
#pragma GCC unroll 4
        for (int c = 0; c < C; ++c) a[r][c] = Ops::madd(w, s[c], a[r][c]);
      }
    }
    const int64_t rows = std::min<int64_t>(R, nr - r0);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      if (r >= rows) break;
#pragma GCC unroll 4
      for (int c = 0; c < C; ++c) simd::store(acc + (r0 + r) * ld + 16 * c, a[r][c], mk[c]);
    }
  }
}

// Runs accum_block over nr rows: groups of the widest register block, then narrower ones for the
// remainder, so few rows (decoding) do not repeat work for clamped rows.
template <int C, class Ops>
void accum_columns(float* acc, int64_t nr, int64_t ld, simd::Mask last,
                   const typename Ops::Scalar* coef, int64_t rs, int64_t cs, int64_t nc,
                   const typename Ops::Lane* src, const float* alpha) {
  constexpr int R = C == 1 ? 16 : (C == 2 ? 12 : (C == 3 ? 8 : 6));
  const int64_t full = nr / R * R;
  if (full > 0) accum_block<C, R, Ops>(acc, full, ld, last, coef, rs, cs, nc, src, alpha);
  int64_t r = full;
  if (nr - r >= 3) {
    accum_block<C, 4, Ops>(acc + r * ld, nr - r, ld, last, coef + r * rs, rs, cs, nc, src,
                           alpha ? alpha + r : nullptr);
    return;
  }
  for (; r < nr; ++r)
    accum_block<C, 1, Ops>(acc + r * ld, 1, ld, last, coef + r * rs, rs, cs, nc, src,
                           alpha ? alpha + r : nullptr);
}

// acc[r][:] = alpha[r] * acc[r][:] + sum_{k<nc} coef[r*rs + k*cs] * src[k][:]   for r < nr.
// acc [nr][Dh] and src [nc][Dh] are rows of width Dh and stride Dh; alpha [nr] may be nullptr (1).
// With Bf16Ops, k counts pairs: coef[r*rs + k*cs] is the first of two Scalars and src lanes hold
// the matching pairs of rows 2k and 2k+1.
template <class Ops = F32Ops>
void accum_rows(float* acc, int64_t nr, int64_t Dh, const typename Ops::Scalar* coef, int64_t rs,
                int64_t cs, int64_t nc, const typename Ops::Lane* src, const float* alpha) {
  for (int64_t d0 = 0; d0 < Dh; d0 += 64) {
    const int64_t w = std::min<int64_t>(64, Dh - d0);
    const int64_t chunks = (w + 15) / 16;
    const simd::Mask last = simd::mask_first(w - 16 * (chunks - 1));
    switch (chunks) {
      case 1:
        accum_columns<1, Ops>(acc + d0, nr, Dh, last, coef, rs, cs, nc, src + d0, alpha);
        break;
      case 2:
        accum_columns<2, Ops>(acc + d0, nr, Dh, last, coef, rs, cs, nc, src + d0, alpha);
        break;
      case 3:
        accum_columns<3, Ops>(acc + d0, nr, Dh, last, coef, rs, cs, nc, src + d0, alpha);
        break;
      default:
        accum_columns<4, Ops>(acc + d0, nr, Dh, last, coef, rs, cs, nc, src + d0, alpha);
        break;
    }
  }
}

// out[j] = x . y[j] for j < nj: one query against key rows (width and stride Dh), for decoding.
inline void dot_rows(const float* x, const float* y, int64_t nj, int64_t Dh, float* out) {
  for (int64_t j = 0; j < nj; ++j) {
    V16 acc = simd::zero();
    for (int64_t d = 0; d < Dh; d += 16) {
      const simd::Mask m = simd::mask_first(Dh - d);
      acc = simd::fma(simd::load(x + d, m), simd::load(y + j * Dh + d, m), acc);
    }
    out[j] = simd::reduce_add(acc);
  }
}

// The micro-kernel operands for inputs of element type T (float, or uint16_t: bf16 bits).
template <class T>
using OpsFor = std::conditional_t<std::is_same_v<T, float>, F32Ops,
#if defined(__AVX512BF16__)
                                  Bf16Ops
#else
                                  void
#endif
                                  >;

// acc rows [nq][Dh] = alpha * acc + sum_j S[j][r] y[j] over the nj keys of a key-major tile
// S [nj][16*NB] and rows y [nj][Dh], for the query rows from chunk c0 on (alpha may be null: 1).
// bf16: S and y are first paired along the keys (S rounded to bf16).
template <int NB, class T>
void accum_keys(float* acc, int64_t nq, int64_t Dh, const float* S, int64_t c0, const T* y,
                int64_t nj, const float* alpha) {
  constexpr int64_t W = 16 * NB;
  const float* a = alpha ? alpha + 16 * c0 : nullptr;
  if constexpr (std::is_same_v<T, float>) {
    accum_rows(acc + 16 * c0 * Dh, nq - 16 * c0, Dh, S + 16 * c0, 1, W, nj, y, a);
  }
#if defined(__AVX512BF16__)
  else {
    alignas(64) Bf16Pair S2[kBlockK / 2 * W];       // [(nj+1)/2][W]
    alignas(64) Bf16Pair Y2[kBlockK / 2 * kMaxDh];  // [(nj+1)/2][Dh]
    pair_keys(S + 16 * c0, W, nj, NB - c0, S2 + 16 * c0);
    pair_rows(y, Dh, nj, Y2);
    // Pair p of query r is at S2[p*W + r]: rs = 1 pair, cs = W pairs, in bf16 elements.
    accum_rows<Bf16Ops>(acc + 16 * c0 * Dh, nq - 16 * c0, Dh,
                        reinterpret_cast<const uint16_t*>(S2 + 16 * c0), 2, 2 * W, (nj + 1) / 2, Y2,
                        a);
  }
#endif
}

// acc rows [nk][Dh] += sum_i C[j][i] x[i] over the nq queries of a key-major tile C [nk][16*NB]
// (row j of acc takes row j of C). x: the query-side rows [nq][Dh] for f32; for bf16 the same
// rows paired along the queries (pair_rows), C then rounded to bf16.
template <int NB, class T>
void accum_queries(float* acc, int64_t nk, int64_t Dh, const float* C, int64_t nq,
                   const typename OpsFor<T>::Lane* x) {
  constexpr int64_t W = 16 * NB;
  if constexpr (std::is_same_v<T, float>) {
    accum_rows(acc, nk, Dh, C, W, 1, nq, x, nullptr);
  }
#if defined(__AVX512BF16__)
  else {
    alignas(64) uint16_t Cb[kBlockK * W];  // C rounded: pairs of queries are adjacent
    for (int64_t j = 0; j < nk; ++j)
      for (int64_t c = 0; c < NB; ++c)
        _mm256_storeu_si256(
            reinterpret_cast<__m256i*>(Cb + j * W + 16 * c),
            reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(_mm512_loadu_ps(C + j * W + 16 * c))));
    accum_rows<Bf16Ops>(acc, nk, Dh, Cb, W, 2, (nq + 1) / 2, x, nullptr);
  }
#endif
}

#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
// Logical right shift; the masked form avoids GCC 12's spurious -Wmaybe-uninitialized.
inline __m512i srl64(__m512i x, unsigned n) {
  return _mm512_mask_srli_epi64(x, 0xFF, x, n);
}

// mix64 of core/rng.h on 8 lanes.
inline __m512i mix64x8(__m512i x) {
  const auto c = [](uint64_t v) { return _mm512_set1_epi64(static_cast<long long>(v)); };
  x = _mm512_add_epi64(x, c(0x9E3779B97F4A7C15ull));
  x = _mm512_mullo_epi64(_mm512_xor_si512(x, srl64(x, 30)), c(0xBF58476D1CE4E5B9ull));
  x = _mm512_mullo_epi64(_mm512_xor_si512(x, srl64(x, 27)), c(0x94D049BB133111EBull));
  return _mm512_xor_si512(x, srl64(x, 31));
}

#endif

// The dropout factors (keep_scale if attention_keep(), else 0) of the 16 counters
// c0 + l*stride, l = 0..15, with the per-call constants of the hash precomputed. Since
// random_bits(seed, c) = mix64(mix64(seed) ^ c*K), the lanes' c*K = c0*K + (l*stride)*K.
class DropoutLanes {
 public:
  DropoutLanes(const AttentionParams& p, float keep_scale, uint64_t stride)
      : p_(p), keep_scale_(keep_scale), stride_(stride), seed_mix_(mix64(p.seed)) {
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
    alignas(64) uint64_t lane_mul[16];
    for (uint64_t l = 0; l < 16; ++l) lane_mul[l] = l * stride * kCounterMul;
    lane_mul_[0] = _mm512_load_si512(lane_mul);
    lane_mul_[1] = _mm512_load_si512(lane_mul + 8);
#endif
  }

  V16 factors(uint64_t c0) const {
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
    const __m512i base = _mm512_set1_epi64(static_cast<long long>(c0 * kCounterMul));
    const __mmask16 keep = static_cast<__mmask16>(
        keep8(_mm512_add_epi64(base, lane_mul_[0])) |
        (static_cast<unsigned>(keep8(_mm512_add_epi64(base, lane_mul_[1]))) << 8));
    return simd::select(keep, simd::set1(keep_scale_), simd::zero());
#else
    alignas(64) float f[simd::kLanes];
    for (int l = 0; l < simd::kLanes; ++l)
      f[l] = attention_keep(p_, c0 + l * stride_) ? keep_scale_ : 0.0f;
    return simd::load(f);
#endif
  }

 private:
  static constexpr uint64_t kCounterMul = 0xD1B54A32D192ED03ull;  // as in core/rng.h
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__)
  // attention_keep() of 8 lanes given counter * kCounterMul, as a bit mask.
  __mmask8 keep8(__m512i counter_mul) const {
    const __m512i x =
        _mm512_xor_si512(counter_mul, _mm512_set1_epi64(static_cast<long long>(seed_mix_)));
    const __m512i bits = mix64x8(x);
    const __m256 u =
        _mm256_mul_ps(_mm512_cvtepu64_ps(srl64(bits, 40)), _mm256_set1_ps(1.0f / 16777216.0f));
    return _mm256_cmp_ps_mask(u, _mm256_set1_ps(p_.dropout_p), _CMP_GE_OQ);
  }
  __m512i lane_mul_[2];
#endif
  const AttentionParams& p_;
  float keep_scale_;
  uint64_t stride_;
  uint64_t seed_mix_;
};

}  // namespace fg::kernels::cpu::FG_ISA_NS::detail
