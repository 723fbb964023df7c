#pragma once
// The bf16 operands of the attention micro-kernels (attention_tiles.h), for the copies built with
// AVX512-BF16: two bf16 in each 32-bit lane, multiplied and summed into f32 lanes by vdpbf16ps,
// and the helpers that put q, k, v, dout and the score tiles into those pair layouts.
// Internal to kernels/cpu/attention*.cpp; empty without __AVX512BF16__.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/cpu/attention_simd.h"
#include "kernels/cpu/isa_namespace.h"

#if defined(__AVX512BF16__)
namespace fg::kernels::cpu::FG_ISA_NS::detail {

using simd::V16;

// Two bf16 (raw bits) in one 32-bit lane: element 2p in the low half, 2p+1 in the high half.
// Pairs are read out of bf16 (uint16_t) buffers only by memcpy or intrinsics (no aliasing).
using Bf16Pair = uint32_t;

// bf16 operands: each lane holds a pair, and vdpbf16ps adds both exact products to the f32 lane.
struct Bf16Ops {
  using Vec = __m512i;
  using Lane = Bf16Pair;
  using Scalar = uint16_t;
  static constexpr int64_t kPerLane = 2;
  static Vec load(const Lane* p) { return _mm512_loadu_si512(p); }
  static Vec load(const Lane* p, simd::Mask m) { return _mm512_maskz_loadu_epi32(m, p); }
  static Vec broadcast(const Scalar* p) {
    int pair;
    std::memcpy(&pair, p, sizeof pair);
    return _mm512_set1_epi32(pair);
  }
  static V16 madd(Vec a, Vec b, V16 acc) {
    return {_mm512_dpbf16_ps(acc.v, reinterpret_cast<__m512bh>(a), reinterpret_cast<__m512bh>(b))};
  }
};

// dst [Dh/2][W] = bf16 rows src [n][Dh] transposed by pairs (Dh even); columns n..W-1 are zero.
inline void transpose_pairs(const uint16_t* src, int64_t n, int64_t Dh, int64_t W, Bf16Pair* dst) {
  for (int64_t i = 0; i < n; ++i)
    for (int64_t p = 0; p < Dh / 2; ++p) std::memcpy(dst + p * W + i, src + i * Dh + 2 * p, 4);
  for (int64_t p = 0; p < Dh / 2; ++p)
    for (int64_t i = n; i < W; ++i) dst[p * W + i] = 0;
}

// dst[p][i] = (S[2p][i], S[2p+1][i]) rounded to bf16 for p < (nj+1)/2 and the 16*nc lanes i: the
// coefficients of a Bf16Ops accum_rows over keys. A missing last odd key pairs with 0.
// S [nj][ld] f32, dst [(nj+1)/2][ld].
inline void pair_keys(const float* S, int64_t ld, int64_t nj, int64_t nc, Bf16Pair* dst) {
  alignas(64) static constexpr uint16_t kInterleave[32] = {
      0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
      8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
  const __m512i idx = _mm512_load_si512(kInterleave);
  for (int64_t p = 0; 2 * p < nj; ++p) {
    const bool single = 2 * p + 1 >= nj;
    for (int64_t c = 0; c < nc; ++c) {
      const __m512 a = _mm512_loadu_ps(S + 2 * p * ld + 16 * c);
      const __m512 b =
          single ? _mm512_setzero_ps() : _mm512_loadu_ps(S + (2 * p + 1) * ld + 16 * c);
      // a's 16 values in elements 0..15, b's in 16..31; the permutation interleaves them.
      const __m512i ab = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(b, a));
      _mm512_storeu_si512(dst + p * ld + 16 * c, _mm512_permutexvar_epi16(idx, ab));
    }
  }
}

// dst[p][d] = (y[2p][d], y[2p+1][d]) for p < (nj+1)/2, d < Dh: bf16 rows [nj][Dh] paired along
// the rows, the src of a Bf16Ops accum_rows over keys. A missing last odd row pairs with 0.
inline void pair_rows(const uint16_t* y, int64_t Dh, int64_t nj, Bf16Pair* dst) {
  alignas(64) static constexpr uint16_t kLow[32] = {0,  32, 1,  33, 2,  34, 3,  35, 4,  36, 5,
                                                    37, 6,  38, 7,  39, 8,  40, 9,  41, 10, 42,
                                                    11, 43, 12, 44, 13, 45, 14, 46, 15, 47};
  const __m512i lo = _mm512_load_si512(kLow);
  const __m512i hi = _mm512_add_epi16(lo, _mm512_set1_epi16(16));
  for (int64_t p = 0; 2 * p < nj; ++p) {
    const bool single = 2 * p + 1 >= nj;
    const uint16_t *ya = y + 2 * p * Dh, *yb = ya + Dh;
    for (int64_t d = 0; d < Dh; d += 32) {
      const int64_t n = std::min<int64_t>(32, Dh - d);
      const __mmask32 m = n == 32 ? ~__mmask32{0} : (__mmask32{1} << n) - 1;
      const __m512i a = _mm512_maskz_loadu_epi16(m, ya + d);
      const __m512i b = single ? _mm512_setzero_si512() : _mm512_maskz_loadu_epi16(m, yb + d);
      _mm512_mask_storeu_epi32(dst + p * Dh + d, simd::mask_first(n),
                               _mm512_permutex2var_epi16(a, lo, b));
      if (n > 16)
        _mm512_mask_storeu_epi32(dst + p * Dh + d + 16, simd::mask_first(n - 16),
                                 _mm512_permutex2var_epi16(a, hi, b));
    }
  }
}

}  // namespace fg::kernels::cpu::FG_ISA_NS::detail
#endif
