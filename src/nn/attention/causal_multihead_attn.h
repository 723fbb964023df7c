#pragma once
// CausalMultiheadAttn (EX, spec-ml §1.5): q/k/v/o Linear [D,D], causal softmax attention with
// scale 1/sqrt(Dh), no positional bias. EX default bias = true (HEAD changed it to false).
#include "nn/linear.h"
#include "nn/module.h"

namespace fg::nn {

struct CausalMultiheadAttnOptions {
  int64_t d_model = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;  // 0 -> num_heads (HEAD's grouped-query option)
  bool bias = true;
  float dropout = 0.0f;
  void validate() const;
};

class CausalMultiheadAttn : public Module {
 public:
  explicit CausalMultiheadAttn(const CausalMultiheadAttnOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;  // [B,T,D] -> [B,T,D]
  using Module::forward;
  std::string extra_repr() const override;
  const CausalMultiheadAttnOptions& options() const { return options_; }

 private:
  CausalMultiheadAttnOptions options_;
  Linear* query_;
  Linear* key_;
  Linear* value_;
  Linear* output_;
};

}  // namespace fg::nn
