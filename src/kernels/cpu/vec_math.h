#pragma once
// Branch-free float exp / erf / tanh / sigmoid that GCC vectorises inside `omp simd` loops
// (libm's expf/erff are scalar calls). Accuracy: exp ~2 ulp, erf abs error < 5e-7, which is at
// the level of f32 rounding of the values they feed.
#include <bit>
#include <cstdint>
#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

// e^x; 0 below -87.3 (so exp(-inf) == 0 for masked scores), clamped above 88.7.
inline float vexp(float x) {
  const float xc = x > 88.7f ? 88.7f : (x < -87.3f ? -87.3f : x);
  // x = n ln2 + r, |r| <= ln2/2; n rounded with the 1.5*2^23 trick.
  const float n = (xc * 1.44269504088896341f + 12582912.f) - 12582912.f;
  const float r = (xc - n * 0.693145751953125f) - n * 1.428606765330187e-06f;
  float p = 1.f / 5040.f;
  p = p * r + 1.f / 720.f;
  p = p * r + 1.f / 120.f;
  p = p * r + 1.f / 24.f;
  p = p * r + 1.f / 6.f;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  const float v = p * std::bit_cast<float>(bits);
  return x < -87.3f ? 0.f : v;
}

// erf via Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7).
inline float verf(float x) {
  const float a = x < 0.f ? -x : x;
  const float t = 1.f / (1.f + 0.3275911f * a);
  float p = 1.061405429f;
  p = p * t - 1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t - 0.284496736f;
  p = p * t + 0.254829592f;
  const float y = 1.f - p * t * vexp(-a * a);
  return x < 0.f ? -y : y;
}

inline float vsigmoid(float x) {
  return 1.f / (1.f + vexp(-x));
}

inline float vtanh(float x) {
  // tanh(x) = sign(x) (1 - 2 / (e^{2|x|} + 1)); exact enough near 0 via the odd Taylor term.
  const float a = x < 0.f ? -x : x;
  const float big = 1.f - 2.f / (vexp(2.f * a) + 1.f);
  const float small = a * (1.f - a * a * (1.f / 3.f - a * a * (2.f / 15.f)));
  const float y = a < 0.0625f ? small : big;
  return x < 0.f ? -y : y;
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
