#pragma once
// Linear(in, out): y = x·Wᵀ + b with W [out,in] (PyTorch layout and names "weight", "bias").
// Parameters start at zero; an init function (nn/init.h) or load_state_dict fills them.
#include "nn/module.h"

namespace fg::nn {

struct LinearOptions {
  int64_t in_features = 0;
  int64_t out_features = 0;
  bool bias = true;
  void validate() const;
};

class Linear : public Module {
 public:
  explicit Linear(const LinearOptions& options);
  Linear(int64_t in, int64_t out, bool bias = true) : Linear(LinearOptions{in, out, bias}) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
  const LinearOptions& options() const { return options_; }
  Tensor& weight() { return weight_; }
  Tensor& bias() { return bias_; }  // undefined when bias = false

 private:
  LinearOptions options_;
  Tensor weight_;  // [out,in]
  Tensor bias_;    // [out]
};

}  // namespace fg::nn
