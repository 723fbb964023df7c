#pragma once
// NullPE: no positional encoding (ALiBi models); no parameters, no buffers.
#include "nn/module.h"

namespace fg::nn {

class NullPE : public Module {
 public:
  NullPE() : Module("NullPE") {}
  Tensor forward(const Tensor& x, const ForwardContext&) override { return x; }
  using Module::forward;
};

}  // namespace fg::nn
