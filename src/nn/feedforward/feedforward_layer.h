#pragma once
// FeedforwardLayer (spec-ml §1.6): linear2(act(Dropout(linear1(x)))) — the dropout comes
// before the activation, as in the original.
#include "nn/linear.h"
#include "nn/module.h"
#include "tensor/ops.h"

namespace fg::nn {

struct FeedforwardLayerOptions {
  int64_t d_model = 0;
  int64_t d_feedforward = 0;
  ops::Activation activation = ops::Activation::ReLU;
  float dropout = 0.0f;
  bool bias = true;
  void validate() const;
};

class FeedforwardLayer : public Module {
 public:
  explicit FeedforwardLayer(const FeedforwardLayerOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;  // [..,D] -> [..,D]
  using Module::forward;
  std::string extra_repr() const override;
  const FeedforwardLayerOptions& options() const { return options_; }

 private:
  FeedforwardLayerOptions options_;
  Linear* linear1_;
  Module* dropout_;
  Linear* linear2_;
};

// "relu", "gelu", "silu", "sigmoid", "tanh", "identity" (case-insensitive; PyTorch class names
// like "SiLU" work too). Throws fg::Error naming the nearest match otherwise.
ops::Activation parse_activation(const std::string& name);
const char* activation_name(ops::Activation a);

}  // namespace fg::nn
