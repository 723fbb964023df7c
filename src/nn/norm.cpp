#include "nn/norm.h"

#include <fmt/format.h>

#include "core/check.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

static void check_last_dim(const char* op, const Tensor& x, int64_t d) {
  FG_CHECK_SHAPE(x.dim() >= 1 && x.size(x.dim() - 1) == d, "[{}] expected input [..., {}], got {}",
                 op, d, shape_str(x.shape()));
}

void LayerNormOptions::validate() const {
  FG_CHECK(normalized_shape > 0, "[LayerNorm] normalized_shape must be positive, got {}",
           normalized_shape);
  FG_CHECK(eps > 0, "[LayerNorm] eps must be positive, got {}", eps);
  check_parameter_size("LayerNorm", "weight", normalized_shape);
}

LayerNorm::LayerNorm(const LayerNormOptions& options) : Module("LayerNorm"), options_(options) {
  options_.validate();
  if (options.elementwise_affine) {
    weight_ = register_parameter("weight", Tensor::ones({options.normalized_shape}));
    if (options.bias) bias_ = register_parameter("bias", Tensor::zeros({options.normalized_shape}));
  }
}

Tensor LayerNorm::forward(const Tensor& x, const ForwardContext&) {
  check_last_dim("LayerNorm", x, options_.normalized_shape);
  return ops::layer_norm(x, weight_, bias_, options_.eps);
}

std::string LayerNorm::extra_repr() const {
  return fmt::format("({},), eps={}, elementwise_affine={}", options_.normalized_shape,
                     options_.eps, options_.elementwise_affine);
}

void RMSNormOptions::validate() const {
  FG_CHECK(normalized_shape > 0, "[RMSNorm] normalized_shape must be positive, got {}",
           normalized_shape);
  FG_CHECK(eps > 0, "[RMSNorm] eps must be positive, got {}", eps);
  check_parameter_size("RMSNorm", "weight", normalized_shape);
}

RMSNorm::RMSNorm(const RMSNormOptions& options) : Module("RMSNorm"), options_(options) {
  options_.validate();
  if (options.elementwise_affine)
    weight_ = register_parameter("weight", Tensor::ones({options.normalized_shape}));
}

Tensor RMSNorm::forward(const Tensor& x, const ForwardContext&) {
  check_last_dim("RMSNorm", x, options_.normalized_shape);
  return ops::rms_norm(x, weight_, options_.eps);
}

std::string RMSNorm::extra_repr() const {
  return fmt::format("({},), eps={}", options_.normalized_shape, options_.eps);
}

}  // namespace fg::nn
