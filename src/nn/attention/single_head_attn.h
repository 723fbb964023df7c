#pragma once
// SingleHeadAttn and SingleHeadAlibiAttn (spec-ml §1.5): S = x·W_qk·xᵀ/√D with the raw weight
// (its bias is created but unused, as in the original), causal softmax, out = P·value_linear(x);
// no output projection. The ALiBi variant adds slope·(j−i); its slope is a scalar parameter
// "alibi_slope" only when trainable, otherwise a constant outside the state dict.
// Deviation: the original clamps P at 1e-10 (non-ALiBi variant); the fused op does not, which
// changes outputs by at most T·1e-10·|v|.
#include "nn/linear.h"
#include "nn/module.h"

namespace fg::nn {

struct SingleHeadAttnOptions {
  int64_t d_model = 0;
  bool bias = true;
  float dropout = 0.0f;
  void validate() const;
};

class SingleHeadAttn : public Module {
 public:
  explicit SingleHeadAttn(const SingleHeadAttnOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;  // [B,T,D] -> [B,T,D]
  using Module::forward;
  std::string extra_repr() const override;

 protected:
  SingleHeadAttn(const SingleHeadAttnOptions& options, const char* type_name);
  Tensor attend_with(const Tensor& x, const Tensor& slopes, const ForwardContext& ctx);
  SingleHeadAttnOptions options_;

 private:
  Linear* query_key_;
  Linear* value_;
};

struct SingleHeadAlibiAttnOptions {
  int64_t d_model = 0;
  bool bias = true;
  float dropout = 0.0f;
  float slope_init = 0.5f;
  bool trainable_alibi = false;
  void validate() const;
};

class SingleHeadAlibiAttn : public SingleHeadAttn {
 public:
  explicit SingleHeadAlibiAttn(const SingleHeadAlibiAttnOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;

 private:
  SingleHeadAlibiAttnOptions alibi_options_;
  Tensor slope_;  // [] parameter when trainable, else a [1] constant
};

}  // namespace fg::nn
