#include "nn/attention/single_head_attn.h"

#include <fmt/format.h>

#include <cmath>

#include "core/check.h"
#include "nn/attention/attend.h"
#include "nn/size_check.h"
#include "tensor/ops.h"

namespace fg::nn {

void SingleHeadAttnOptions::validate() const {
  FG_CHECK(d_model > 0, "[SingleHeadAttn] d_model must be positive, got {}", d_model);
  check_parameter_size("SingleHeadAttn", "query weight", d_model, d_model);
  FG_CHECK(dropout >= 0 && dropout < 1, "[SingleHeadAttn] dropout must be in [0, 1), got {}",
           dropout);
}

void SingleHeadAlibiAttnOptions::validate() const {
  FG_CHECK(d_model > 0, "[SingleHeadAlibiAttn] d_model must be positive, got {}", d_model);
  check_parameter_size("SingleHeadAlibiAttn", "query weight", d_model, d_model);
  FG_CHECK(dropout >= 0 && dropout < 1, "[SingleHeadAlibiAttn] dropout must be in [0, 1), got {}",
           dropout);
}

SingleHeadAttn::SingleHeadAttn(const SingleHeadAttnOptions& options)
    : SingleHeadAttn(options, "SingleHeadAttn") {}

SingleHeadAttn::SingleHeadAttn(const SingleHeadAttnOptions& options, const char* type_name)
    : Module(type_name), options_(options) {
  options_.validate();
  const int64_t d = options.d_model;
  query_key_ = &register_module("query_key_linear", std::make_unique<Linear>(d, d, options.bias));
  value_ = &register_module("value_linear", std::make_unique<Linear>(d, d, options.bias));
}

Tensor SingleHeadAttn::attend_with(const Tensor& x, const Tensor& slopes,
                                   const ForwardContext& ctx) {
  FG_CHECK_SHAPE(x.dim() == 3 && x.size(2) == options_.d_model,
                 "[{}] expected input [B,T,{}], got {}", type_name(), options_.d_model,
                 shape_str(x.shape()));
  const int64_t b = x.size(0), t = x.size(1), d = options_.d_model;
  // q_i·k_j = (x_i W)·x_j = x_i W x_jᵀ: one head with q = x·W, k = x.
  Tensor q = ops::reshape(ops::matmul(x, query_key_->weight()), {b, 1, t, d});
  Tensor k = ops::reshape(x, {b, 1, t, d});
  Tensor v = ops::reshape(value_->forward(x, ctx), {b, 1, t, d});
  AttendArgs args{1.0f / std::sqrt(static_cast<float>(d)), options_.dropout, is_training(),
                  type_name().c_str()};
  return ops::reshape(attend(q, k, v, slopes, args, ctx), {b, t, d});
}

Tensor SingleHeadAttn::forward(const Tensor& x, const ForwardContext& ctx) {
  return attend_with(x, Tensor(), ctx);
}

std::string SingleHeadAttn::extra_repr() const {
  return fmt::format("d_model={}, bias={}", options_.d_model, options_.bias);
}

SingleHeadAlibiAttn::SingleHeadAlibiAttn(const SingleHeadAlibiAttnOptions& options)
    : SingleHeadAttn(SingleHeadAttnOptions{options.d_model, options.bias, options.dropout},
                     "SingleHeadAlibiAttn"),
      alibi_options_(options) {
  alibi_options_.validate();
  if (options.trainable_alibi)
    slope_ = register_parameter("alibi_slope", Tensor::full({}, options.slope_init));
  else
    slope_ = Tensor::full({1}, options.slope_init);
}

Tensor SingleHeadAlibiAttn::forward(const Tensor& x, const ForwardContext& ctx) {
  // A fixed slope is no parameter or buffer, so Module::to does not move it: it follows the input.
  if (!alibi_options_.trainable_alibi && slope_.device() != x.device()) slope_.move_to_(x.device());
  return attend_with(x, ops::reshape(slope_, {1}), ctx);
}

std::string SingleHeadAlibiAttn::extra_repr() const {
  return fmt::format("d_model={}, slope_init={}, trainable_alibi={}, bias={}",
                     alibi_options_.d_model, alibi_options_.slope_init,
                     alibi_options_.trainable_alibi, alibi_options_.bias);
}

}  // namespace fg::nn
