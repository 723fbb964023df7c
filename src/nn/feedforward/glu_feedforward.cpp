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

// The dropout on the gated product runs inside the GLU kernel (ops::glu_dropout: the same bits
// and counters as the Dropout module, one pass fewer over the widest activation).
Tensor GLUFeedforwardLayer::forward(const Tensor& x, const ForwardContext& ctx) {
  const Tensor up = up_->forward(x, ctx), gate = gate_->forward(x, ctx);
  const float p = dropout_->p();
  Rng* rng = dropout_rng(p, dropout_->is_training(), ctx, "GLUFeedforwardLayer");
  return down_->forward(
      rng ? ops::glu_dropout(up, gate, options_.activation, p, true, *rng, ctx.batch_rows)
          : ops::glu(up, gate, options_.activation),
      ctx);
}

std::string GLUFeedforwardLayer::extra_repr() const {
  return fmt::format("d_model={}, d_feedforward={}, activation={}", options_.d_model,
                     options_.d_feedforward, activation_name(options_.activation));
}

}  // namespace fg::nn
