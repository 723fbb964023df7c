#pragma once
// GLUFeedforwardLayer (spec-ml §1.6): down(Dropout(up(x) ⊙ act(gate(x)))), no biases;
// parameters up_proj, gate_proj [F,D] and down_proj [D,F] in that order.
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/module.h"
#include "tensor/ops.h"

namespace fg::nn {

struct GLUFeedforwardLayerOptions {
  int64_t d_model = 0;
  int64_t d_feedforward = 0;
  ops::Activation activation = ops::Activation::SiLU;
  float dropout = 0.1f;
  void validate() const;
};

class GLUFeedforwardLayer : public Module {
 public:
  explicit GLUFeedforwardLayer(const GLUFeedforwardLayerOptions& options);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;  // [..,D] -> [..,D]
  using Module::forward;
  std::string extra_repr() const override;
  const GLUFeedforwardLayerOptions& options() const { return options_; }

 private:
  GLUFeedforwardLayerOptions options_;
  Linear* up_;
  Linear* gate_;
  Linear* down_;
  Dropout* dropout_;
};

}  // namespace fg::nn
