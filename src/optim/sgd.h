#pragma once
// SGD as torch.optim.SGD: L2 weight decay folded into the gradient, momentum with dampening,
// optional Nesterov; the momentum buffer starts as a copy of the first (decayed) gradient.
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace fg::optim {

struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
  void validate() const;  // nesterov needs momentum > 0 and dampening == 0
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<NamedParameter> params, const SGDOptions& options);

  void step() override;
  std::string kind() const override { return "SGD"; }
  std::string repr() const override;
  OptimizerState state() const override;
  void load_state(const OptimizerState& state) override;

 private:
  SGDOptions options_;
  std::vector<Tensor> momentum_;  // parallel to params_; undefined until the first step
};

}  // namespace fg::optim
