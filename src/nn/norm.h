#pragma once
// LayerNorm (over the last dim, biased variance) and RMSNorm (torch.nn.RMSNorm semantics).
#include <limits>

#include "nn/module.h"

namespace fg::nn {

struct LayerNormOptions {
  int64_t normalized_shape = 0;
  float eps = 1e-5f;
  bool elementwise_affine = true;
  bool bias = true;
  void validate() const;
};

class LayerNorm : public Module {
 public:
  explicit LayerNorm(const LayerNormOptions& options);
  explicit LayerNorm(int64_t d) : LayerNorm(LayerNormOptions{d}) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
  const LayerNormOptions& options() const { return options_; }

 private:
  LayerNormOptions options_;
  Tensor weight_;  // [D], ones
  Tensor bias_;    // [D], zeros
};

struct RMSNormOptions {
  int64_t normalized_shape = 0;
  // torch.nn.RMSNorm's eps=None means the float32 machine epsilon.
  float eps = std::numeric_limits<float>::epsilon();
  bool elementwise_affine = true;
  void validate() const;
};

class RMSNorm : public Module {
 public:
  explicit RMSNorm(const RMSNormOptions& options);
  explicit RMSNorm(int64_t d) : RMSNorm(RMSNormOptions{d}) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
  const RMSNormOptions& options() const { return options_; }

 private:
  RMSNormOptions options_;
  Tensor weight_;  // [D], ones
};

}  // namespace fg::nn
