#pragma once
// Module: the base of every model component. Holds named parameters, buffers and child modules
// in registration order; enumerates them with dotted names exactly as PyTorch does (a module's
// own parameters first, then each child's, depth first), so state dicts exchange with PyTorch.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "nn/kv_cache.h"
#include "tensor/tensor.h"

namespace fg::nn {

using NamedTensor = std::pair<std::string, Tensor>;
// Ordered (name, tensor) pairs: parameters and persistent buffers.
using StateDict = std::vector<NamedTensor>;

// Per-call state threaded through forward(). Nothing here is owned.
struct ForwardContext {
  Rng* rng = nullptr;           // dropout randomness; required in training mode when any p > 0
  KVCache* kv_cache = nullptr;  // incremental decoding: attention appends its keys/values
  int64_t layer_index = -1;     // set by LayerStack so attention finds its cache slot
  int64_t position_offset = 0;  // absolute position of input row 0 (set from the cache)
  BatchRows batch_rows;         // where the batch sits in a data-parallel global batch
};

struct LoadOptions {
  bool strict = true;  // missing or unexpected keys are errors
  std::string prefix;  // stripped from incoming names (e.g. "causal_lm.")
};

class Module {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // [B,T,D] -> [B,T,D] for most components; token ids -> logits for CausalLM.
  virtual Tensor forward(const Tensor& x, const ForwardContext& ctx);
  Tensor forward(const Tensor& x) { return forward(x, ForwardContext{}); }
  Tensor operator()(const Tensor& x, const ForwardContext& ctx = {}) { return forward(x, ctx); }

  const std::string& type_name() const { return type_name_; }
  // One-line summary of the constructor arguments, as PyTorch's extra_repr.
  virtual std::string extra_repr() const { return {}; }

  std::vector<NamedTensor> named_parameters() const;  // trainable and frozen
  std::vector<Tensor> parameters() const;
  std::vector<Tensor> trainable_parameters() const;  // requires_grad only
  std::vector<NamedTensor> named_buffers() const;
  // Pre-order: ("", this) first, then every descendant with its dotted path.
  std::vector<std::pair<std::string, Module*>> named_modules();
  std::vector<std::pair<std::string, const Module*>> named_modules() const;
  const std::vector<std::pair<std::string, std::unique_ptr<Module>>>& children() const {
    return children_;
  }
  Module* find_module(const std::string& dotted_path);  // nullptr when absent

  int64_t num_parameters(bool trainable_only = false) const;

  // Parameters then buffers of each module, depth first (PyTorch's state_dict order).
  StateDict state_dict() const;
  // Copies tensors in by name (no autograd); throws fg::Error on shape mismatch, and in strict
  // mode on missing or unexpected keys. The module's tensor handles stay the same.
  void load_state_dict(const StateDict& state, const LoadOptions& options = {});

  // Moves every parameter and buffer (and any gradient) to device d in place: the module's
  // tensor handles stay the same, so layers and optimizers holding them follow. Build and
  // initialise on the host, then move.
  void to(Device d);
  // The device of the first parameter or buffer (the host for a module that holds none): where
  // callers put the inputs of a module that was moved with to().
  Device device() const;

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  void zero_grad();

  // Indented tree: "name: Type(extra) — N params" per module.
  std::string describe() const;

 protected:
  Tensor register_parameter(const std::string& name, Tensor t, bool trainable = true);
  Tensor register_buffer(const std::string& name, Tensor t);
  template <class M>
  M& register_module(const std::string& name, std::unique_ptr<M> m) {
    M& ref = *m;
    add_child(name, std::move(m));
    return ref;
  }

 private:
  void add_child(const std::string& name, std::unique_ptr<Module> m);
  void check_new_name(const std::string& name) const;
  void collect(const std::string& prefix, bool params, bool buffers,
               std::vector<NamedTensor>& out) const;
  void describe_into(const std::string& name, int depth, std::string& out) const;

  std::string type_name_;
  bool training_ = true;
  std::vector<NamedTensor> params_;
  std::vector<NamedTensor> buffers_;
  std::vector<std::pair<std::string, std::unique_ptr<Module>>> children_;
};

// Modules are built by factories so the config system can pass them (as in the original).
using ModuleFactory = std::function<std::unique_ptr<Module>()>;
using AttentionFactory = ModuleFactory;
using FeedforwardFactory = ModuleFactory;
using NormFactory = ModuleFactory;
using PositionalEncoderFactory = ModuleFactory;
using LayerFactory = std::function<std::unique_ptr<Module>(int64_t layer_index)>;

// "[B,T,D]" style string for messages.
std::string shape_str(const Shape& s);

}  // namespace fg::nn
