#include "nn/layer_stack.h"

#include "core/check.h"
#include "nn/size_check.h"

namespace fg::nn {

Module& ModuleList::append(std::unique_ptr<Module> m) {
  return register_module(std::to_string(size()), std::move(m));
}

Module& ModuleList::at(int64_t i) const {
  FG_CHECK(i >= 0 && i < size(), "[ModuleList] index {} out of range for {} modules", i, size());
  return *children()[static_cast<size_t>(i)].second;
}

void LayerStackOptions::validate() const {
  FG_CHECK(num_hidden_layers >= 0 && num_hidden_layers <= kMaxLayers,
           "[LayerStack] num_hidden_layers must be in [0, {}], got {}", kMaxLayers,
           num_hidden_layers);
}

LayerStack::LayerStack(const LayerFactory& layer_factory, const LayerStackOptions& options,
                       const NormFactory& post_norm_factory)
    : Module("LayerStack") {
  options.validate();
  FG_CHECK(static_cast<bool>(layer_factory), "[LayerStack] the layer factory is empty");
  layers_ = &register_module("layers", std::make_unique<ModuleList>());
  for (int64_t i = 0; i < options.num_hidden_layers; ++i) {
    auto layer = layer_factory(i);
    FG_CHECK(layer != nullptr, "[LayerStack] the layer factory returned null for layer {}", i);
    if (i == 0) check_stack_memory(options.num_hidden_layers, layer->num_parameters());
    layers_->append(std::move(layer));
  }
  if (post_norm_factory) layer_norm_ = &register_module("layer_norm", post_norm_factory());
}

Tensor LayerStack::forward(const Tensor& x, const ForwardContext& ctx) {
  Tensor h = x;
  ForwardContext layer_ctx = ctx;
  for (int64_t i = 0; i < layers_->size(); ++i) {
    layer_ctx.layer_index = i;
    h = layers_->at(i).forward(h, layer_ctx);
  }
  return layer_norm_ != nullptr ? layer_norm_->forward(h, ctx) : h;
}

ExplicitLayerStack::ExplicitLayerStack(const std::vector<ModuleFactory>& factories)
    : Module("ExplicitLayerStack") {
  layers_ = &register_module("layers", std::make_unique<ModuleList>());
  for (size_t i = 0; i < factories.size(); ++i) {
    FG_CHECK(static_cast<bool>(factories[i]), "[ExplicitLayerStack] factory {} is empty", i);
    auto layer = factories[i]();
    FG_CHECK(layer != nullptr, "[ExplicitLayerStack] factory {} returned null", i);
    layers_->append(std::move(layer));
  }
}

Tensor ExplicitLayerStack::forward(const Tensor& x, const ForwardContext& ctx) {
  Tensor h = x;
  ForwardContext layer_ctx = ctx;
  for (int64_t i = 0; i < layers_->size(); ++i) {
    layer_ctx.layer_index = i;
    h = layers_->at(i).forward(h, layer_ctx);
  }
  return h;
}

}  // namespace fg::nn
