#pragma once
// Inverted dropout, active only in training mode; p == 0 is the identity (the original's
// nn.Identity substitution). Training with p > 0 needs ForwardContext::rng.
#include "nn/module.h"

namespace fg::nn {

struct DropoutOptions {
  float p = 0.5f;
  void validate() const;
};

class Dropout : public Module {
 public:
  explicit Dropout(const DropoutOptions& options);
  explicit Dropout(float p) : Dropout(DropoutOptions{p}) {}
  Tensor forward(const Tensor& x, const ForwardContext& ctx) override;
  using Module::forward;
  std::string extra_repr() const override;
  float p() const { return options_.p; }

 private:
  DropoutOptions options_;
};

// The Rng a dropout site with probability p draws from, or null when it drops nothing (not
// `training`, or p == 0). Training with p > 0 needs ForwardContext::rng: refused naming `who`.
Rng* dropout_rng(float p, bool training, const ForwardContext& ctx, const char* who);

// Applies dropout with probability p for a module in `training` mode; shared by modules that
// own a dropout site without a Dropout child (attention probabilities, GLU activation).
Tensor apply_dropout(const Tensor& x, float p, bool training, const ForwardContext& ctx,
                     const char* who);

}  // namespace fg::nn
