#pragma once
// Bridges config Objects (shared, copyable) and nn modules (children owned by unique_ptr): a
// singleton module is a ModuleHandle that its parent takes exactly once; a second take is a
// ConfigError naming the node (one module cannot have two parents). Factories (!lambda nodes)
// become nn::ModuleFactory functions that build a fresh module per call.
#include <memory>
#include <string>

#include "config/call_args.h"
#include "config/object.h"
#include "core/rng.h"
#include "nn/module.h"

namespace fg::builders {

class ModuleHandle : public config::Describable {
 public:
  ModuleHandle(std::unique_ptr<nn::Module> module, SourceLocation where, std::string key_path);
  // The module, moved out; throws ConfigError when a parent already took it.
  std::unique_ptr<nn::Module> take(const std::string& taker);
  // The module wherever it lives now (valid while its owner lives).
  nn::Module& module() const { return *raw_; }
  bool taken() const { return !owned_; }
  std::string describe() const override { return raw_->describe(); }
  int64_t parameter_count() const override { return raw_->num_parameters(); }

 private:
  std::unique_ptr<nn::Module> owned_;
  nn::Module* raw_;
  SourceLocation where_;
  std::string key_path_;
  std::string taker_;
};

// A module-valued Object made by the builder whose arguments are `a` (provenance for errors).
config::Object module_object(std::unique_ptr<nn::Module> module, const config::CallArgs& a);

// The module held by `value` (a ModuleHandle, or a factory that is called once); `what` names
// the argument for errors ("layer_stack of CasualLM").
std::unique_ptr<nn::Module> take_module(const config::Object& value, const std::string& what);

// A factory from a callable Object (each call builds a fresh module); none -> empty function.
nn::ModuleFactory module_factory(const config::Object& value, const std::string& what);

// A weight-initialisation function (`.init_weights:simple_weight_init` and friends).
struct WeightInitFn {
  std::string name;
  std::function<void(nn::Module&)> fn;
};

}  // namespace fg::builders
