#include "nn/positional/sinusoidal_pe.h"

#include <fmt/format.h>

#include <cmath>

#include "core/check.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

void SinusoidalPEOptions::validate() const {
  FG_CHECK(d_model > 0 && d_model % 2 == 0,
           "[SinusoidalPE] d_model must be positive and even, got {}", d_model);
  FG_CHECK(max_sequence_length > 0, "[SinusoidalPE] max_sequence_length must be positive, got {}",
           max_sequence_length);
  check_parameter_size("SinusoidalPE", "table", max_sequence_length, d_model);
}

SinusoidalPE::SinusoidalPE(const SinusoidalPEOptions& options)
    : Module("SinusoidalPE"), options_(options) {
  options_.validate();
  const int64_t n = options.max_sequence_length, d = options.d_model;
  Tensor table = Tensor::zeros({n, d});
  float* pe = table.data<float>();
  const float factor = -std::log(10000.0f) / static_cast<float>(d);
  for (int64_t k = 0; k < d / 2; ++k) {
    const float div = std::exp(static_cast<float>(2 * k) * factor);
    for (int64_t p = 0; p < n; ++p) {
      const float angle = static_cast<float>(p) * div;
      pe[p * d + 2 * k] = std::sin(angle);
      pe[p * d + 2 * k + 1] = std::cos(angle);
    }
  }
  table_ = register_buffer("weight", table);
}

Tensor SinusoidalPE::forward(const Tensor& x, const ForwardContext& ctx) {
  FG_CHECK_SHAPE(x.dim() == 3 && x.size(2) == options_.d_model,
                 "[SinusoidalPE] expected input [B,T,{}], got {}", options_.d_model,
                 shape_str(x.shape()));
  const int64_t start = ctx.position_offset, end = start + x.size(1);
  FG_CHECK_SHAPE(start >= 0 && end <= options_.max_sequence_length,
                 "[SinusoidalPE] positions {}..{} exceed max_sequence_length {}", start, end - 1,
                 options_.max_sequence_length);
  return ops::add(x, ops::slice(table_, 0, start, end));
}

std::string SinusoidalPE::extra_repr() const {
  return fmt::format("d_model={}, max_sequence_length={}", options_.d_model,
                     options_.max_sequence_length);
}

}  // namespace fg::nn
