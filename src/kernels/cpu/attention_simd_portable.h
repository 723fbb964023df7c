#pragma once
// One ISA's implementation of the 16-lane vector in attention_simd.h; include that header instead.
#include <cstdint>

#include "kernels/cpu/isa_namespace.h"
#include "kernels/cpu/vec_math.h"

namespace fg::kernels::cpu::FG_ISA_NS::simd {

constexpr int kLanes = 16;

struct V16 {
  float v[kLanes];
};
using Mask = uint32_t;

inline Mask mask_first(int64_t n) {
  return n >= kLanes ? 0xFFFFu : (1u << n) - 1u;
}
inline bool lane(Mask m, int i) {
  return (m >> i) & 1u;
}
inline V16 set1(float x) {
  V16 r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = x;
  return r;
}
inline V16 zero() {
  return set1(0.0f);
}
inline V16 iota() {
  V16 r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = static_cast<float>(i);
  return r;
}
inline V16 load(const float* p, Mask m) {
  V16 r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = lane(m, i) ? p[i] : 0.0f;
  return r;
}
inline V16 load(const float* p) {
  return load(p, 0xFFFFu);
}
inline void store(float* p, V16 a, Mask m) {
  for (int i = 0; i < kLanes; ++i)
    if (lane(m, i)) p[i] = a.v[i];
}
inline void store(float* p, V16 a) {
  store(p, a, 0xFFFFu);
}
#define FG_SIMD_LANEWISE(expr)                      \
  V16 r;                                            \
  for (int i = 0; i < kLanes; ++i) r.v[i] = (expr); \
  return r
// Without FMA hardware std::fma is a libm call per lane, so the baseline multiplies and adds.
inline V16 fma(V16 a, V16 b, V16 c) {
#if defined(__FMA__)
  FG_SIMD_LANEWISE(__builtin_fmaf(a.v[i], b.v[i], c.v[i]));
#else
  FG_SIMD_LANEWISE(a.v[i] * b.v[i] + c.v[i]);
#endif
}
inline V16 operator+(V16 a, V16 b) {
  FG_SIMD_LANEWISE(a.v[i] + b.v[i]);
}
inline V16 operator-(V16 a, V16 b) {
  FG_SIMD_LANEWISE(a.v[i] - b.v[i]);
}
inline V16 operator*(V16 a, V16 b) {
  FG_SIMD_LANEWISE(a.v[i] * b.v[i]);
}
inline V16 max(V16 a, V16 b) {
  FG_SIMD_LANEWISE(a.v[i] > b.v[i] ? a.v[i] : b.v[i]);
}
inline V16 select(Mask m, V16 a, V16 b) {
  FG_SIMD_LANEWISE(lane(m, i) ? a.v[i] : b.v[i]);
}
inline V16 exp(V16 a) {
  FG_SIMD_LANEWISE(a.v[i] < -87.0f ? 0.0f : vexp(a.v[i]));  // branch-free, so it vectorises
}
#undef FG_SIMD_LANEWISE
inline Mask greater(V16 a, V16 b) {
  Mask m = 0;
  for (int i = 0; i < kLanes; ++i) m |= (a.v[i] > b.v[i] ? 1u : 0u) << i;
  return m;
}
inline float reduce_add(V16 a) {
  float s = 0;
  for (int i = 0; i < kLanes; ++i) s += a.v[i];
  return s;
}

inline float reduce_max(V16 a) {
  float m = a.v[0];
  for (int i = 1; i < kLanes; ++i) m = a.v[i] > m ? a.v[i] : m;
  return m;
}

}  // namespace fg::kernels::cpu::FG_ISA_NS::simd
