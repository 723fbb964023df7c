#include "nn/attention/causal_multihead_attn.h"

#include <fmt/format.h>

#include "core/check.h"
#include "nn/attention/attend.h"
#include "nn/size_check.h"

namespace fg::nn {

void CausalMultiheadAttnOptions::validate() const {
  FG_CHECK(d_model > 0 && num_heads > 0 && d_model % num_heads == 0,
           "[CausalMultiheadAttn] d_model ({}) must be a positive multiple of num_heads ({})",
           d_model, num_heads);
  check_parameter_size("CausalMultiheadAttn", "query weight", d_model, d_model);
  const int64_t kv = num_kv_heads == 0 ? num_heads : num_kv_heads;
  FG_CHECK(kv > 0 && num_heads % kv == 0,
           "[CausalMultiheadAttn] num_heads ({}) must be divisible by num_kv_heads ({})", num_heads,
           kv);
  FG_CHECK(dropout >= 0 && dropout < 1, "[CausalMultiheadAttn] dropout must be in [0, 1), got {}",
           dropout);
}

CausalMultiheadAttn::CausalMultiheadAttn(const CausalMultiheadAttnOptions& options)
    : Module("CausalMultiheadAttn"), options_(options) {
  options_.validate();
  if (options_.num_kv_heads == 0) options_.num_kv_heads = options_.num_heads;
  const int64_t d = options_.d_model;
  const int64_t dkv = options_.num_kv_heads * (d / options_.num_heads);
  query_ = &register_module("query_linear", std::make_unique<Linear>(d, d, options_.bias));
  key_ = &register_module("key_linear", std::make_unique<Linear>(d, dkv, options_.bias));
  value_ = &register_module("value_linear", std::make_unique<Linear>(d, dkv, options_.bias));
  output_ = &register_module("output_linear", std::make_unique<Linear>(d, d, options_.bias));
}

Tensor CausalMultiheadAttn::forward(const Tensor& x, const ForwardContext& ctx) {
  FG_CHECK_SHAPE(x.dim() == 3 && x.size(2) == options_.d_model,
                 "[CausalMultiheadAttn] expected input [B,T,{}], got {}", options_.d_model,
                 shape_str(x.shape()));
  Tensor q = split_heads(query_->forward(x, ctx), options_.num_heads);
  Tensor k = split_heads(key_->forward(x, ctx), options_.num_kv_heads);
  Tensor v = split_heads(value_->forward(x, ctx), options_.num_kv_heads);
  AttendArgs args{0.0f, options_.dropout, is_training(), "CausalMultiheadAttn"};
  return output_->forward(merge_heads(attend(q, k, v, Tensor(), args, ctx)), ctx);
}

std::string CausalMultiheadAttn::extra_repr() const {
  return fmt::format("d_model={}, num_heads={}, num_kv_heads={}, bias={}", options_.d_model,
                     options_.num_heads, options_.num_kv_heads, options_.bias);
}

}  // namespace fg::nn
