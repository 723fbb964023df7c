#pragma once
// AdamW exactly as torch.optim.AdamW (amsgrad=False, maximize=False): decoupled weight decay
// applied to every parameter, per-parameter step counts, bias correction, eps added after
// dividing sqrt(v) by sqrt(1 - beta2^t). Moments are tensors on the parameter's device; the update
// is the backend's adamw_update kernel.
#include <cstdint>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace fg::optim {

struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.01;
  void validate() const;  // torch's checks: lr, eps, weight_decay >= 0; 0 <= betas < 1
};

class AdamW : public Optimizer {
 public:
  AdamW(std::vector<NamedParameter> params, const AdamWOptions& options);

  void step() override;
  std::string kind() const override { return "AdamW"; }
  std::string repr() const override;
  OptimizerState state() const override;
  void load_state(const OptimizerState& state) override;

  const AdamWOptions& options() const { return options_; }
  int64_t param_step(size_t index) const { return slots_.at(index).step; }

 private:
  struct Slot {
    int64_t step = 0;            // updates applied to this parameter so far
    Tensor exp_avg, exp_avg_sq;  // the parameter's shape and device; undefined before step 1
  };
  AdamWOptions options_;
  std::vector<Slot> slots_;  // parallel to params_
};

}  // namespace fg::optim
