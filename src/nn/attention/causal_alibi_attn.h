#pragma once
// CausalAlibiAttn (spec-ml §1.5): q/k/v/o Linear layers and per-head ALiBi slopes, which are
// always a parameter ("alibi_slopes" [H]) and frozen unless trainable_alibi.
// Slopes: 2^-(7h/(H-1)); alt_alibi_init: 2^-(1+7h/(H-1)) with heads h >= H/2 set to 0.
// Grouped-query (num_kv_heads < num_heads): query head h reads kv head h / (H/Hkv).
#include "nn/linear.h"
#include "nn/module.h"

namespace fg::nn {

struct CausalAlibiAttnOptions {
  int64_t d_model = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;  // 0 -> num_heads
  bool bias = true;
  float dropout = 0.0f;
  bool trainable_alibi = false;
  bool alt_alibi_init = false;
  void validate() const;
};

// The initial slopes for H heads.
std::vector<float> alibi_slopes_init(int64_t num_heads, bool alt_alibi_init);

class CausalAlibiAttn : public Module {
 public:
  explicit CausalAlibiAttn(const CausalAlibiAttnOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;  // [B,T,D] -> [B,T,D]
  using Module::forward;
  std::string extra_repr() const override;
  Tensor& alibi_slopes() { return slopes_; }
  const CausalAlibiAttnOptions& options() const { return options_; }

 private:
  CausalAlibiAttnOptions options_;
  Linear* query_;
  Linear* key_;
  Linear* value_;
  Linear* output_;
  Tensor slopes_;  // [H]
};

}  // namespace fg::nn
