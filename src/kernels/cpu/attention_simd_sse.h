#pragma once
// One ISA's implementation of the 16-lane vector in attention_simd.h; include that header instead.
// SSE4.1 (the x86-64-v2 baseline): a V16 is four 4-lane registers, a Mask four lane masks, and
// fma is a multiply then an add (no FMA unit; std::fma would be a libm call per lane).
#include <smmintrin.h>

#include <cstdint>

#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS::simd {

constexpr int kLanes = 16;
constexpr int kRegs = 4;

struct V16 {
  __m128 r[kRegs];
};
struct Mask {
  __m128 r[kRegs];
};

#define FG_SIMD_PER_REG(T, expr)                                             \
  T out;                                                                     \
  _Pragma("GCC unroll 4") for (int i = 0; i < kRegs; ++i) out.r[i] = (expr); \
  return out

inline Mask mask_first(int64_t n) {
  const __m128i k = _mm_set1_epi32(static_cast<int>(n < kLanes ? n : kLanes));
  FG_SIMD_PER_REG(Mask, _mm_castsi128_ps(_mm_cmpgt_epi32(
                            k, _mm_setr_epi32(4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3))));
}
// Bit l set when lane l of m is set.
inline unsigned lane_bits(Mask m) {
  unsigned bits = 0;
  for (int i = 0; i < kRegs; ++i) bits |= static_cast<unsigned>(_mm_movemask_ps(m.r[i])) << (4 * i);
  return bits;
}
inline V16 zero() {
  FG_SIMD_PER_REG(V16, _mm_setzero_ps());
}
inline V16 set1(float x) {
  FG_SIMD_PER_REG(V16, _mm_set1_ps(x));
}
inline V16 iota() {
  FG_SIMD_PER_REG(V16, _mm_setr_ps(4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3));
}
inline V16 load(const float* p) {
  FG_SIMD_PER_REG(V16, _mm_loadu_ps(p + 4 * i));
}
// Masked-off lanes read as 0 and are never touched in memory (SSE has no masked load, so a
// partial mask, only ever a tile's tail, goes lane by lane).
inline V16 load(const float* p, Mask m) {
  const unsigned bits = lane_bits(m);
  if (bits == 0xFFFFu) return load(p);
  alignas(16) float t[kLanes];
  for (int l = 0; l < kLanes; ++l) t[l] = (bits >> l) & 1u ? p[l] : 0.0f;
  return load(t);
}
inline void store(float* p, V16 a) {
  for (int i = 0; i < kRegs; ++i) _mm_storeu_ps(p + 4 * i, a.r[i]);
}
inline void store(float* p, V16 a, Mask m) {
  const unsigned bits = lane_bits(m);
  if (bits == 0xFFFFu) return store(p, a);
  alignas(16) float t[kLanes];
  store(t, a);
  for (int l = 0; l < kLanes; ++l)
    if ((bits >> l) & 1u) p[l] = t[l];
}
inline V16 fma(V16 a, V16 b, V16 c) {
  FG_SIMD_PER_REG(V16, _mm_add_ps(_mm_mul_ps(a.r[i], b.r[i]), c.r[i]));
}
inline V16 operator+(V16 a, V16 b) {
  FG_SIMD_PER_REG(V16, _mm_add_ps(a.r[i], b.r[i]));
}
inline V16 operator-(V16 a, V16 b) {
  FG_SIMD_PER_REG(V16, _mm_sub_ps(a.r[i], b.r[i]));
}
inline V16 operator*(V16 a, V16 b) {
  FG_SIMD_PER_REG(V16, _mm_mul_ps(a.r[i], b.r[i]));
}
inline V16 max(V16 a, V16 b) {
  FG_SIMD_PER_REG(V16, _mm_max_ps(a.r[i], b.r[i]));
}
inline Mask greater(V16 a, V16 b) {
  FG_SIMD_PER_REG(Mask, _mm_cmpgt_ps(a.r[i], b.r[i]));
}
// Lanes where m is set take `a`, the others `b`.
inline V16 select(Mask m, V16 a, V16 b) {
  FG_SIMD_PER_REG(V16, _mm_blendv_ps(b.r[i], a.r[i], m.r[i]));
}
inline float reduce_add(V16 a) {
  __m128 s = _mm_add_ps(_mm_add_ps(a.r[0], a.r[1]), _mm_add_ps(a.r[2], a.r[3]));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
inline float reduce_max(V16 a) {
  __m128 m = _mm_max_ps(_mm_max_ps(a.r[0], a.r[1]), _mm_max_ps(a.r[2], a.r[3]));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// exp on 4 lanes, the Cephes polynomial of the AVX-512 form (~2 ulp); exactly 0 below -87.
inline __m128 exp4(__m128 x) {
  const auto c = [](float v) { return _mm_set1_ps(v); };
  const __m128 underflow = _mm_cmplt_ps(x, c(-87.0f));
  __m128 xv = _mm_min_ps(_mm_max_ps(x, c(-87.0f)), c(88.7f));
  const __m128 fx = _mm_round_ps(_mm_mul_ps(xv, c(1.44269504088896341f)),
                                 _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  xv = _mm_sub_ps(xv, _mm_mul_ps(fx, c(0.693359375f)));
  xv = _mm_sub_ps(xv, _mm_mul_ps(fx, c(-2.12194440e-4f)));
  __m128 y = c(1.9875691500e-4f);
  y = _mm_add_ps(_mm_mul_ps(y, xv), c(1.3981999507e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, xv), c(8.3334519073e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, xv), c(4.1665795894e-2f));
  y = _mm_add_ps(_mm_mul_ps(y, xv), c(1.6666665459e-1f));
  y = _mm_add_ps(_mm_mul_ps(y, xv), c(5.0000001201e-1f));
  y = _mm_add_ps(_mm_mul_ps(y, _mm_mul_ps(xv, xv)), _mm_add_ps(xv, c(1.0f)));
  // y * 2^n as two factors 2^(n/2) and 2^(n - n/2), each a normal float for n in [-126, 128].
  const __m128i n = _mm_cvtps_epi32(fx);
  const __m128i n1 = _mm_srai_epi32(n, 1);
  const __m128i n2 = _mm_sub_epi32(n, n1);
  const __m128i bias = _mm_set1_epi32(127);
  y = _mm_mul_ps(y, _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(n1, bias), 23)));
  y = _mm_mul_ps(y, _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(n2, bias), 23)));
  return _mm_andnot_ps(underflow, y);
}
inline V16 exp(V16 x) {
  FG_SIMD_PER_REG(V16, exp4(x.r[i]));
}

#undef FG_SIMD_PER_REG

}  // namespace fg::kernels::cpu::FG_ISA_NS::simd
