#include "nn/transformer_layer.h"

#include <fmt/format.h>

#include <cmath>

#include "core/check.h"
#include "nn/dropout.h"
#include "tensor/ops.h"

namespace fg::nn {

void TransformerLayerOptions::validate() const {
  FG_CHECK(dropout >= 0 && dropout < 1 && residual_dropout >= 0 && residual_dropout < 1,
           "[TransformerLayer] dropout and residual_dropout must be in [0, 1), got {} and {}",
           dropout, residual_dropout);
  FG_CHECK(alpha > 0, "[TransformerLayer] alpha must be positive, got {}", alpha);
}

static std::unique_ptr<Module> build(const ModuleFactory& f, const char* what, const char* layer) {
  FG_CHECK(static_cast<bool>(f), "[{}] the {} factory is empty", layer, what);
  auto m = f();
  FG_CHECK(m != nullptr, "[{}] the {} factory returned null", layer, what);
  return m;
}

TransformerLayer::TransformerLayer(const char* type_name, const FeedforwardFactory& feedforward,
                                   const AttentionFactory& attention, const NormFactory& norm,
                                   const TransformerLayerOptions& options)
    : Module(type_name), options_(options) {
  options.validate();
  feedforward_ = &register_module("feedforward", build(feedforward, "feedforward", type_name));
  attention_ = &register_module("attention", build(attention, "attention", type_name));
  norm1_ = &register_module("norm1", build(norm, "norm", type_name));
  norm2_ = &register_module("norm2", build(norm, "norm", type_name));
  dropout_ = &register_module("dropout", std::make_unique<Dropout>(options.dropout));
  residual_dropout_ =
      &register_module("residual_dropout", std::make_unique<Dropout>(options.residual_dropout));
}

Tensor PostLNLayer::forward(const Tensor& x_in, const ForwardContext& ctx) {
  Tensor x = x_in;
  Tensor a = dropout_->forward(attention_->forward(x, ctx), ctx);
  x = norm1_->forward(ops::add(residual_dropout_->forward(x, ctx), a), ctx);
  Tensor f = dropout_->forward(feedforward_->forward(x, ctx), ctx);
  return norm2_->forward(ops::add(residual_dropout_->forward(x, ctx), f), ctx);
}

Tensor PreLNLayer::forward(const Tensor& x_in, const ForwardContext& ctx) {
  Tensor x = x_in;
  Tensor a = dropout_->forward(attention_->forward(norm1_->forward(x, ctx), ctx), ctx);
  x = ops::add(residual_dropout_->forward(x, ctx), a);
  Tensor f = dropout_->forward(feedforward_->forward(norm2_->forward(x, ctx), ctx), ctx);
  return ops::add(residual_dropout_->forward(x, ctx), f);
}

}  // namespace fg::nn

namespace fg::nn {

Tensor DeepnetLayer::forward(const Tensor& x_in, const ForwardContext& ctx) {
  const float alpha = options_.alpha;
  Tensor x = x_in;
  Tensor a = dropout_->forward(attention_->forward(x, ctx), ctx);
  x = norm1_->forward(ops::add(ops::scale(residual_dropout_->forward(x, ctx), alpha), a), ctx);
  Tensor f = dropout_->forward(feedforward_->forward(x, ctx), ctx);
  return norm2_->forward(ops::add(ops::scale(residual_dropout_->forward(x, ctx), alpha), f), ctx);
}

std::string DeepnetLayer::extra_repr() const {
  return fmt::format("alpha={}", options_.alpha);
}

float deepnet_alpha(int64_t num_layers) {
  return std::pow(2.0f * static_cast<float>(num_layers), 0.25f);
}

float deepnet_beta(int64_t num_layers) {
  return std::pow(8.0f * static_cast<float>(num_layers), -0.25f);
}

}  // namespace fg::nn
