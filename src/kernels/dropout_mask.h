#pragma once
// dropout_forward's mask and scale, one element at a time: element i of x is kept when its draw
// random_bits(seed, base + i) is >= p and then scaled by 1 / (1 - p). The one definition that the
// CPU's and CUDA's dropout and fused-dropout kernels use (constexpr, so CUDA calls it through
// nvcc's --expt-relaxed-constexpr), hence masks bit-identical across devices.
#include <cstdint>

#include "core/rng.h"
#include "kernels/types.h"

namespace fg::kernels {

struct DropoutMask {
  float p, keep_scale;
  uint64_t seed, base;
  constexpr explicit DropoutMask(const FusedDropout& d)
      : p(d.p), keep_scale(1.f / (1.f - d.p)), seed(d.seed), base(d.base) {}
  constexpr float operator()(float x, int64_t i) const {
    return bits_to_unit_float(random_bits(seed, base + static_cast<uint64_t>(i))) >= p
               ? x * keep_scale
               : 0.f;
  }
};

}  // namespace fg::kernels
