#include "nn/attention/causal_alibi_attn.h"

#include <fmt/format.h>

#include <cmath>

#include "core/check.h"
#include "nn/attention/attend.h"
#include "nn/size_check.h"

namespace fg::nn {

void CausalAlibiAttnOptions::validate() const {
  FG_CHECK(d_model > 0 && num_heads > 0 && d_model % num_heads == 0,
           "[CausalAlibiAttn] d_model ({}) must be a positive multiple of num_heads ({})", d_model,
           num_heads);
  check_parameter_size("CausalAlibiAttn", "query weight", d_model, d_model);
  const int64_t kv = num_kv_heads == 0 ? num_heads : num_kv_heads;
  FG_CHECK(kv > 0 && num_heads % kv == 0,
           "[CausalAlibiAttn] num_heads ({}) must be divisible by num_kv_heads ({})", num_heads,
           kv);
  FG_CHECK(dropout >= 0 && dropout < 1, "[CausalAlibiAttn] dropout must be in [0, 1), got {}",
           dropout);
}

std::vector<float> alibi_slopes_init(int64_t num_heads, bool alt_alibi_init) {
  // 1 / logspace(a, b, H, base 2) in float32, as torch computes it.
  const float a = alt_alibi_init ? 1.0f : 0.0f, b = alt_alibi_init ? 8.0f : 7.0f;
  std::vector<float> s(static_cast<size_t>(num_heads));
  for (int64_t h = 0; h < num_heads; ++h) {
    const float t = num_heads == 1
                        ? a
                        : a + (b - a) * static_cast<float>(h) / static_cast<float>(num_heads - 1);
    s[static_cast<size_t>(h)] = 1.0f / std::pow(2.0f, t);
    if (alt_alibi_init && static_cast<double>(h) >= num_heads / 2.0) s[static_cast<size_t>(h)] = 0;
  }
  return s;
}

CausalAlibiAttn::CausalAlibiAttn(const CausalAlibiAttnOptions& options)
    : Module("CausalAlibiAttn"), options_(options) {
  options_.validate();
  if (options_.num_kv_heads == 0) options_.num_kv_heads = options_.num_heads;
  const int64_t d = options_.d_model, dh = d / options_.num_heads;
  const int64_t dkv = options_.num_kv_heads * dh;
  query_ = &register_module("query_linear", std::make_unique<Linear>(d, d, options_.bias));
  key_ = &register_module("key_linear", std::make_unique<Linear>(d, dkv, options_.bias));
  value_ = &register_module("value_linear", std::make_unique<Linear>(d, dkv, options_.bias));
  output_ = &register_module("output_linear", std::make_unique<Linear>(d, d, options_.bias));
  slopes_ = register_parameter(
      "alibi_slopes",
      Tensor::from_vector(alibi_slopes_init(options_.num_heads, options_.alt_alibi_init),
                          {options_.num_heads}),
      options_.trainable_alibi);
}

Tensor CausalAlibiAttn::forward(const Tensor& x, const ForwardContext& ctx) {
  FG_CHECK_SHAPE(x.dim() == 3 && x.size(2) == options_.d_model,
                 "[CausalAlibiAttn] expected input [B,T,{}], got {}", options_.d_model,
                 shape_str(x.shape()));
  Tensor q = split_heads(query_->forward(x, ctx), options_.num_heads);
  Tensor k = split_heads(key_->forward(x, ctx), options_.num_kv_heads);
  Tensor v = split_heads(value_->forward(x, ctx), options_.num_kv_heads);
  AttendArgs args{0.0f, options_.dropout, is_training(), "CausalAlibiAttn"};
  return output_->forward(merge_heads(attend(q, k, v, slopes_, args, ctx)), ctx);
}

std::string CausalAlibiAttn::extra_repr() const {
  return fmt::format(
      "d_model={}, num_heads={}, num_kv_heads={}, trainable_alibi={}, "
      "alt_alibi_init={}",
      options_.d_model, options_.num_heads, options_.num_kv_heads, options_.trainable_alibi,
      options_.alt_alibi_init);
}

}  // namespace fg::nn
