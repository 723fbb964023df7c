#pragma once
// Test helpers: a minimal safetensors reader for tests/golden fixtures (F32/I64 only) and a
// comparison that prints the worst difference per tensor.
#include <map>
#include <string>

#include "nn/module.h"
#include "tensor/tensor.h"

namespace fg::nn::testing {

struct Fixture {
  std::map<std::string, Tensor> tensors;
  std::string config;  // __metadata__.config (JSON)
  const Tensor& at(const std::string& name) const;
  bool has(const std::string& name) const { return tensors.count(name) != 0; }
  // Entries under `prefix` with the prefix removed (e.g. "param." -> state dict).
  StateDict with_prefix(const std::string& prefix) const;
};

Fixture load_fixture(const std::string& name);  // tests/golden/<name>.safetensors

// max|a-b| / max(max|ref|, floor); prints "<label>: worst abs diff D at i (ours A, ref R), rel E".
// The floor matters only for tensors that are mathematically zero (the key-bias gradient:
// softmax is shift-invariant), whose float noise is compared against a scale of the fixture.
double relative_error(const Tensor& ours, const Tensor& ref, const std::string& label,
                      double floor = 1e-6);

// 1% of the largest |value| over the fixture's tensors named "<prefix>*" (the floor above).
double scale_floor(const Fixture& f, const std::string& prefix);

constexpr double kTolerance = 1e-4;

}  // namespace fg::nn::testing
