#pragma once
// Conversions between f32 and the 16-bit float formats, rounding to nearest even (the rounding
// of IEEE arithmetic, so a value converts to the representable value nearest to it). NaN stays a
// (quiet) NaN, overflow becomes infinity. Branch-light so the conversion loops vectorise.
#include <bit>
#include <cstdint>

#include "kernels/cpu/isa_namespace.h"

namespace fg::kernels::cpu::FG_ISA_NS {

inline uint16_t f32_to_bf16(float f) {
  uint32_t u = std::bit_cast<uint32_t>(f);
  const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
  // Adding 0x7fff plus the kept part's lowest bit carries into it exactly when the dropped half
  // is above one half ulp, or equal to it and the kept part is odd.
  const uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
  return static_cast<uint16_t>(nan ? (u >> 16) | 0x40u : rounded);
}

inline float bf16_to_f32(uint16_t h) {
  return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

inline uint16_t f32_to_f16(float f) {
  uint32_t x = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  x &= 0x7fffffffu;
  uint32_t h;
  if (x >= 0x7f800000u) {
    h = x > 0x7f800000u ? 0x7e00u : 0x7c00u;  // NaN, infinity
  } else if (x >= 0x477ff000u) {
    h = 0x7c00u;  // at or above 65520 rounds to infinity
  } else if (x < 0x38800000u) {
    // Below 2^-14 the result is subnormal: adding 0.5 leaves the value's multiple of 2^-24 (the
    // f16 subnormal step, also f32's step at 0.5) in the low mantissa bits, rounded by the FPU.
    h = std::bit_cast<uint32_t>(std::bit_cast<float>(x) + 0.5f) - 0x3f000000u;
  } else {
    // Rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even.
    h = (x + 0xc8000fffu + ((x >> 13) & 1u)) >> 13;
  }
  return static_cast<uint16_t>(sign | h);
}

inline float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  uint32_t bits;
  if (e == 0)
    bits = std::bit_cast<uint32_t>(static_cast<float>(m) * 0x1p-24f);  // zero or subnormal
  else if (e == 31)
    bits = 0x7f800000u | (m << 13);  // infinity, NaN
  else
    bits = ((e + 112u) << 23) | (m << 13);
  return std::bit_cast<float>(sign | bits);
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
