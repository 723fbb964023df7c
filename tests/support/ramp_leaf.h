#pragma once
// A deterministic f32 leaf that requires grad: start + step * (i % period), for tests that need
// varied, reproducible, non-bf16-exact values without an Rng.
#include <vector>

#include "tensor/tensor.h"

namespace fg::test_support {

inline Tensor ramp_leaf(const Shape& s, float start, float step = 0.01f, int period = 97) {
  std::vector<float> v(shape_numel(s));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = start + step * static_cast<float>(static_cast<int>(i) % period);
  return Tensor::from_vector(v, s).set_requires_grad(true);
}

}  // namespace fg::test_support
