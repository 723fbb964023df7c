#pragma once
// An activation as a module ("torch.nn:SiLU"), so configs can pass `activation_factory:
// !lambda:torch.nn:SiLU []` to the feed-forward layers, which read its kind.
#include <string>

#include "config/object.h"
#include "nn/feedforward/feedforward_layer.h"
#include "nn/module.h"
#include "tensor/ops.h"

namespace fg::builders {

class ActivationModule : public nn::Module {
 public:
  explicit ActivationModule(const std::string& name)
      : nn::Module(name), kind_(nn::parse_activation(name)) {}
  Tensor forward(const Tensor& x, const nn::ForwardContext&) override {
    return ops::apply_activation(x, kind_);
  }
  using nn::Module::forward;
  ops::Activation kind() const { return kind_; }

 private:
  ops::Activation kind_;
};

// The activation an `activation_factory` argument names: a factory/module of ActivationModule
// or a string ("silu").
ops::Activation activation_of(const config::Object& value, const std::string& what);

}  // namespace fg::builders
