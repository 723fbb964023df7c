#include "nn/feedforward/glu_feedforward.h"

#include <fmt/format.h>

#include "core/check.h"
#include "nn/dropout.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/size_check.h"

namespace fg::nn {

void GLUFeedforwardLayerOptions::validate() const {
  FG_CHECK(d_model > 0 && d_feedforward > 0,
           "[GLUFeedforwardLayer] d_model and d_feedforward must be positive, got {} and {}",
           d_model, d_feedforward);
  check_parameter_size("GLUFeedforwardLayer", "up_proj weight", d_feedforward, d_model);
  FG_CHECK(dropout >= 0 && dropout < 1, "[GLUFeedforwardLayer] dropout must be in [0, 1), got {}",
           dropout);
}

GLUFeedforwardLayer::GLUFeedforwardLayer(const GLUFeedforwardLayerOptions& options)
    : Module("GLUFeedforwardLayer"), options_(options) {
  options_.validate();
  const int64_t d = options.d_model, f = options.d_feedforward;
  up_ = &register_module("up_proj", std::make_unique<Linear>(d, f, false));
  gate_ = &register_module("gate_proj", std::make_unique<Linear>(d, f, false));
  down_ = &register_module("down_proj", std::make_unique<Linear>(f, d, false));
  dropout_ = &register_module("dropout", std::make_unique<Dropout>(options.dropout));
}

Tensor GLUFeedforwardLayer::forward(const Tensor& x, const ForwardContext& ctx) {
  Tensor z = ops::glu(up_->forward(x, ctx), gate_->forward(x, ctx), options_.activation);
  return down_->forward(dropout_->forward(z, ctx), ctx);
}

std::string GLUFeedforwardLayer::extra_repr() const {
  return fmt::format("d_model={}, d_feedforward={}, activation={}", options_.d_model,
                     options_.d_feedforward, activation_name(options_.activation));
}

}  // namespace fg::nn
