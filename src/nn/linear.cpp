#include "nn/linear.h"

#include <fmt/format.h>

#include "core/check.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

void LinearOptions::validate() const {
  FG_CHECK(in_features > 0 && out_features > 0,
           "[Linear] in_features and out_features must be positive, got {} and {}", in_features,
           out_features);
  check_parameter_size("Linear", "weight", out_features, in_features);
}

Linear::Linear(const LinearOptions& options) : Module("Linear"), options_(options) {
  options_.validate();
  weight_ =
      register_parameter("weight", Tensor::zeros({options.out_features, options.in_features}));
  if (options.bias) bias_ = register_parameter("bias", Tensor::zeros({options.out_features}));
}

Tensor Linear::forward(const Tensor& x, const ForwardContext&) {
  FG_CHECK_SHAPE(x.dim() >= 1 && x.size(x.dim() - 1) == options_.in_features,
                 "[Linear] expected input [..., {}], got {}", options_.in_features,
                 shape_str(x.shape()));
  return ops::linear(x, weight_, bias_);
}

std::string Linear::extra_repr() const {
  return fmt::format("in_features={}, out_features={}, bias={}", options_.in_features,
                     options_.out_features, options_.bias);
}

}  // namespace fg::nn
