#include "nn/feedforward/feedforward_layer.h"

#include <fmt/format.h>

#include "core/check.h"
#include "core/strings.h"
#include "nn/dropout.h"
#include "nn/size_check.h"

namespace fg::nn {

void FeedforwardLayerOptions::validate() const {
  FG_CHECK(d_model > 0 && d_feedforward > 0,
           "[FeedforwardLayer] d_model and d_feedforward must be positive, got {} and {}", d_model,
           d_feedforward);
  check_parameter_size("FeedforwardLayer", "linear1 weight", d_feedforward, d_model);
  FG_CHECK(dropout >= 0 && dropout < 1, "[FeedforwardLayer] dropout must be in [0, 1), got {}",
           dropout);
}

FeedforwardLayer::FeedforwardLayer(const FeedforwardLayerOptions& options)
    : Module("FeedforwardLayer"), options_(options) {
  options_.validate();
  const int64_t d = options.d_model, f = options.d_feedforward;
  linear1_ = &register_module("linear1", std::make_unique<Linear>(d, f, options.bias));
  dropout_ = &register_module("dropout", std::make_unique<Dropout>(options.dropout));
  linear2_ = &register_module("linear2", std::make_unique<Linear>(f, d, options.bias));
}

Tensor FeedforwardLayer::forward(const Tensor& x, const ForwardContext& ctx) {
  Tensor h = dropout_->forward(linear1_->forward(x, ctx), ctx);
  return linear2_->forward(ops::apply_activation(h, options_.activation), ctx);
}

std::string FeedforwardLayer::extra_repr() const {
  return fmt::format("d_model={}, d_feedforward={}, activation={}", options_.d_model,
                     options_.d_feedforward, activation_name(options_.activation));
}

ops::Activation parse_activation(const std::string& name) {
  static const std::vector<std::pair<std::string, ops::Activation>> kNames = {
      {"identity", ops::Activation::Identity}, {"relu", ops::Activation::ReLU},
      {"gelu", ops::Activation::GELU},         {"silu", ops::Activation::SiLU},
      {"sigmoid", ops::Activation::Sigmoid},   {"tanh", ops::Activation::Tanh}};
  const std::string key = to_lower(name);
  std::vector<std::string> known;
  for (const auto& [n, a] : kNames) {
    if (n == key) return a;
    known.push_back(n);
  }
  throw Error(
      fmt::format("[activation] unknown activation '{}'{}", name, did_you_mean(key, known)));
}

const char* activation_name(ops::Activation a) {
  switch (a) {
    case ops::Activation::Identity:
      return "identity";
    case ops::Activation::ReLU:
      return "relu";
    case ops::Activation::GELU:
      return "gelu";
    case ops::Activation::SiLU:
      return "silu";
    case ops::Activation::Sigmoid:
      return "sigmoid";
    case ops::Activation::Tanh:
      return "tanh";
  }
  return "?";
}

}  // namespace fg::nn
