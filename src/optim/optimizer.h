#pragma once
// Optimizer base: a list of named parameters (leaf F32 tensors on any one device), a learning rate
// that the LR scheduler sets before each step, and per-parameter state (tensors on the
// parameter's device, updated by backend kernels) that is exported to named host float buffers
// for checkpoints and imported back.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace fg::optim {

// Same layout as nn::NamedTensor, so Module::named_parameters() passes straight in.
using NamedParameter = std::pair<std::string, Tensor>;

struct NamedBuffer {
  std::string name;  // "<parameter>.<slot>", e.g. "layers.0.ffn.w1.weight.exp_avg"
  Shape shape;
  std::vector<float> values;
};

struct OptimizerState {
  std::string kind;                                       // "AdamW", "SGD"
  std::vector<NamedBuffer> buffers;                       // float state per parameter
  std::vector<std::pair<std::string, int64_t>> counters;  // "<parameter>.step" etc.
};

class Optimizer {
 public:
  // Throws fg::Error for an undefined or non-F32 tensor or a duplicate name.
  Optimizer(std::vector<NamedParameter> params, double lr);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update with the current lr; parameters without a gradient are skipped.
  virtual void step() = 0;
  // Drops every parameter's gradient (Tensor::zero_grad).
  void zero_grad();

  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  const std::vector<NamedParameter>& params() const { return params_; }

  virtual std::string kind() const = 0;
  virtual std::string repr() const = 0;  // "AdamW(lr=..., betas=(...), ...)"
  virtual OptimizerState state() const = 0;
  // Restores state(); throws fg::Error naming the buffer on a missing name, a shape mismatch,
  // an unknown name, or another optimizer kind.
  virtual void load_state(const OptimizerState& state) = 0;

 protected:
  std::vector<NamedParameter> params_;
  double lr_;
};

}  // namespace fg::optim
