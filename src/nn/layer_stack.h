#pragma once
// LayerStack (spec-ml §1.8): layers "layers.<i>" applied in order, then an optional final norm
// "layer_norm" (none by default). ModuleList is the plain indexed container.
#include "nn/module.h"

namespace fg::nn {

class ModuleList : public Module {
 public:
  ModuleList() : Module("ModuleList") {}
  Module& append(std::unique_ptr<Module> m);
  int64_t size() const { return static_cast<int64_t>(children().size()); }
  Module& at(int64_t i) const;
};

struct LayerStackOptions {
  int64_t num_hidden_layers = 0;
  void validate() const;
};

class LayerStack : public Module {
 public:
  LayerStack(const LayerFactory& layer_factory, const LayerStackOptions& options,
             const NormFactory& post_norm_factory = nullptr);
  // Sets ctx.layer_index for each layer (the KV-cache slot).
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  int64_t num_layers() const { return layers_->size(); }

 private:
  ModuleList* layers_;
  Module* layer_norm_ = nullptr;
};

// ExplicitLayerStack: heterogeneous layers, one factory each, no final norm.
class ExplicitLayerStack : public Module {
 public:
  explicit ExplicitLayerStack(const std::vector<ModuleFactory>& factories);
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;

 private:
  ModuleList* layers_;
};

}  // namespace fg::nn
