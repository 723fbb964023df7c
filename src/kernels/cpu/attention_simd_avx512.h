#pragma once
// One ISA's implementation of the 16-lane vector in attention_simd.h; include that header instead.
#include <immintrin.h>

#include <cstdint>

#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS::simd {

constexpr int kLanes = 16;

struct V16 {
  __m512 v;
};
using Mask = __mmask16;

inline Mask mask_first(int64_t n) {
  return n >= kLanes ? Mask(0xFFFF) : static_cast<Mask>((1u << n) - 1u);
}
inline V16 zero() {
  return {_mm512_setzero_ps()};
}
inline V16 set1(float x) {
  return {_mm512_set1_ps(x)};
}
inline V16 iota() {
  return {_mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)};
}
inline V16 load(const float* p) {
  return {_mm512_loadu_ps(p)};
}
inline V16 load(const float* p, Mask m) {
  return {_mm512_maskz_loadu_ps(m, p)};
}
inline void store(float* p, V16 a) {
  _mm512_storeu_ps(p, a.v);
}
inline void store(float* p, V16 a, Mask m) {
  _mm512_mask_storeu_ps(p, m, a.v);
}
inline V16 fma(V16 a, V16 b, V16 c) {
  return {_mm512_fmadd_ps(a.v, b.v, c.v)};
}
inline V16 operator+(V16 a, V16 b) {
  return {_mm512_add_ps(a.v, b.v)};
}
inline V16 operator-(V16 a, V16 b) {
  return {_mm512_sub_ps(a.v, b.v)};
}
inline V16 operator*(V16 a, V16 b) {
  return {_mm512_mul_ps(a.v, b.v)};
}
// The masked forms below avoid GCC 12's spurious -Wmaybe-uninitialized on _mm512_undefined_ps.
inline V16 max(V16 a, V16 b) {
  return {_mm512_mask_max_ps(a.v, 0xFFFF, a.v, b.v)};
}
inline Mask greater(V16 a, V16 b) {
  return _mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ);
}
// Lanes where m is set take `a`, the others `b`.
inline V16 select(Mask m, V16 a, V16 b) {
  return {_mm512_mask_blend_ps(m, b.v, a.v)};
}
inline float reduce_add(V16 a) {
  const __m512d x = _mm512_castps_pd(a.v);
  const __m256d lo = _mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, x, 0);
  const __m256d hi = _mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, x, 1);
  const __m256 s8 = _mm256_add_ps(_mm256_castpd_ps(lo), _mm256_castpd_ps(hi));
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  s4 = _mm_add_ss(s4, _mm_movehdup_ps(s4));
  return _mm_cvtss_f32(s4);
}

// exp(x) for x <= 88.7 (Cephes polynomial, ~2 ulp); returns exactly 0 below -87.
inline V16 exp(V16 x) {
  const __m512 lo = _mm512_set1_ps(-87.0f);
  const __mmask16 underflow = _mm512_cmp_ps_mask(x.v, lo, _CMP_LT_OQ);
  const __mmask16 all = 0xFFFF;
  __m512 xv = _mm512_mask_max_ps(x.v, all, x.v, lo);
  xv = _mm512_mask_min_ps(xv, all, xv, _mm512_set1_ps(88.7f));
  __m512 fx = _mm512_mul_ps(xv, _mm512_set1_ps(1.44269504088896341f));
  fx = _mm512_mask_roundscale_ps(fx, all, fx, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  xv = _mm512_fnmadd_ps(fx, _mm512_set1_ps(0.693359375f), xv);
  xv = _mm512_fnmadd_ps(fx, _mm512_set1_ps(-2.12194440e-4f), xv);
  __m512 y = _mm512_set1_ps(1.9875691500e-4f);
  y = _mm512_fmadd_ps(y, xv, _mm512_set1_ps(1.3981999507e-3f));
  y = _mm512_fmadd_ps(y, xv, _mm512_set1_ps(8.3334519073e-3f));
  y = _mm512_fmadd_ps(y, xv, _mm512_set1_ps(4.1665795894e-2f));
  y = _mm512_fmadd_ps(y, xv, _mm512_set1_ps(1.6666665459e-1f));
  y = _mm512_fmadd_ps(y, xv, _mm512_set1_ps(5.0000001201e-1f));
  y = _mm512_fmadd_ps(y, _mm512_mul_ps(xv, xv), _mm512_add_ps(xv, _mm512_set1_ps(1.0f)));
  y = _mm512_mask_scalef_ps(y, all, y, fx);
  return {_mm512_mask_mov_ps(y, underflow, _mm512_setzero_ps())};
}

inline float reduce_max(V16 a) {
  const __m512d x = _mm512_castps_pd(a.v);
  const __m256d lo = _mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, x, 0);
  const __m256d hi = _mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, x, 1);
  const __m256 m8 = _mm256_max_ps(_mm256_castpd_ps(lo), _mm256_castpd_ps(hi));
  __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m8), _mm256_extractf128_ps(m8, 1));
  m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
  m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
  return _mm_cvtss_f32(m4);
}

}  // namespace fg::kernels::cpu::FG_ISA_NS::simd
