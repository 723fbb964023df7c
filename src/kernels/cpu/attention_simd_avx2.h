#pragma once
// One ISA's implementation of the 16-lane vector in attention_simd.h; include that header instead.
// AVX2 + FMA: a V16 is two 8-lane registers and a Mask two all-ones/all-zeros lane masks.
#include <immintrin.h>

#include <cstdint>

#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS::simd {

constexpr int kLanes = 16;

struct V16 {
  __m256 lo, hi;
};
struct Mask {
  __m256i lo, hi;
};

inline Mask mask_first(int64_t n) {
  const __m256i k = _mm256_set1_epi32(static_cast<int>(n < kLanes ? n : kLanes));
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return {_mm256_cmpgt_epi32(k, lanes),
          _mm256_cmpgt_epi32(k, _mm256_add_epi32(lanes, _mm256_set1_epi32(8)))};
}
inline V16 zero() {
  return {_mm256_setzero_ps(), _mm256_setzero_ps()};
}
inline V16 set1(float x) {
  return {_mm256_set1_ps(x), _mm256_set1_ps(x)};
}
inline V16 iota() {
  return {_mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7), _mm256_setr_ps(8, 9, 10, 11, 12, 13, 14, 15)};
}
inline V16 load(const float* p) {
  return {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)};
}
// Masked-off lanes read as 0 and are never touched in memory.
inline V16 load(const float* p, Mask m) {
  return {_mm256_maskload_ps(p, m.lo), _mm256_maskload_ps(p + 8, m.hi)};
}
inline void store(float* p, V16 a) {
  _mm256_storeu_ps(p, a.lo);
  _mm256_storeu_ps(p + 8, a.hi);
}
inline void store(float* p, V16 a, Mask m) {
  _mm256_maskstore_ps(p, m.lo, a.lo);
  _mm256_maskstore_ps(p + 8, m.hi, a.hi);
}
inline V16 fma(V16 a, V16 b, V16 c) {
  return {_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
}
inline V16 operator+(V16 a, V16 b) {
  return {_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)};
}
inline V16 operator-(V16 a, V16 b) {
  return {_mm256_sub_ps(a.lo, b.lo), _mm256_sub_ps(a.hi, b.hi)};
}
inline V16 operator*(V16 a, V16 b) {
  return {_mm256_mul_ps(a.lo, b.lo), _mm256_mul_ps(a.hi, b.hi)};
}
inline V16 max(V16 a, V16 b) {
  return {_mm256_max_ps(a.lo, b.lo), _mm256_max_ps(a.hi, b.hi)};
}
inline Mask greater(V16 a, V16 b) {
  return {_mm256_castps_si256(_mm256_cmp_ps(a.lo, b.lo, _CMP_GT_OQ)),
          _mm256_castps_si256(_mm256_cmp_ps(a.hi, b.hi, _CMP_GT_OQ))};
}
// Lanes where m is set take `a`, the others `b`.
inline V16 select(Mask m, V16 a, V16 b) {
  return {_mm256_blendv_ps(b.lo, a.lo, _mm256_castsi256_ps(m.lo)),
          _mm256_blendv_ps(b.hi, a.hi, _mm256_castsi256_ps(m.hi))};
}
inline float reduce_add(V16 a) {
  const __m256 s8 = _mm256_add_ps(a.lo, a.hi);
  __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
  s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
  s4 = _mm_add_ss(s4, _mm_movehdup_ps(s4));
  return _mm_cvtss_f32(s4);
}
inline float reduce_max(V16 a) {
  const __m256 m8 = _mm256_max_ps(a.lo, a.hi);
  __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m8), _mm256_extractf128_ps(m8, 1));
  m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
  m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
  return _mm_cvtss_f32(m4);
}

// exp on 8 lanes, the same Cephes polynomial as the AVX-512 form (~2 ulp); exactly 0 below -87.
inline __m256 exp8(__m256 x) {
  const __m256 lo = _mm256_set1_ps(-87.0f);
  const __m256 underflow = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
  __m256 xv = _mm256_min_ps(_mm256_max_ps(x, lo), _mm256_set1_ps(88.7f));
  __m256 fx = _mm256_mul_ps(xv, _mm256_set1_ps(1.44269504088896341f));
  fx = _mm256_round_ps(fx, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  xv = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), xv);
  xv = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), xv);
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_fmadd_ps(y, xv, _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_fmadd_ps(y, xv, _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_fmadd_ps(y, xv, _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_fmadd_ps(y, xv, _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_fmadd_ps(y, xv, _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_fmadd_ps(y, _mm256_mul_ps(xv, xv), _mm256_add_ps(xv, _mm256_set1_ps(1.0f)));
  // y * 2^n as two factors 2^(n/2) and 2^(n - n/2), each a normal float for n in [-126, 128].
  const __m256i n = _mm256_cvtps_epi32(fx);
  const __m256i n1 = _mm256_srai_epi32(n, 1);
  const __m256i n2 = _mm256_sub_epi32(n, n1);
  const __m256i bias = _mm256_set1_epi32(127);
  y = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23)));
  y = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23)));
  return _mm256_andnot_ps(underflow, y);
}
inline V16 exp(V16 x) {
  return {exp8(x.lo), exp8(x.hi)};
}

}  // namespace fg::kernels::cpu::FG_ISA_NS::simd
