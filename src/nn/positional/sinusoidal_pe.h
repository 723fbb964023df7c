#pragma once
// SinusoidalPE: x + PE[offset : offset+T], PE a fixed persistent buffer "weight" [max_len, D]
// (HEAD's shape; EX stored [1,max_len,D]). Interleaved: PE[p,2k] = sin(p·div_k),
// PE[p,2k+1] = cos(p·div_k), div_k = exp(2k·(−ln 10000 / D)), computed in float32.
#include "nn/module.h"

namespace fg::nn {

struct SinusoidalPEOptions {
  int64_t d_model = 0;
  int64_t max_sequence_length = 2048;
  void validate() const;
};

class SinusoidalPE : public Module {
 public:
  explicit SinusoidalPE(const SinusoidalPEOptions& options);
  // x [B,T,D]; positions start at ctx.position_offset.
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
  const SinusoidalPEOptions& options() const { return options_; }

 private:
  SinusoidalPEOptions options_;
  Tensor table_;  // [max_len, D]
};

}  // namespace fg::nn
