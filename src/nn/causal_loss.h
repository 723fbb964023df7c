#pragma once
// CausalLoss (spec-ml §1.10): mean over labels[:,1:] != ignore_index of the cross-entropy of
// logits[:, :-1]. Implemented without slicing the logits: the labels are shifted left by one and
// the last position of each row is set to ignore_index, which gives the same mean.
#include <cstdint>

#include "tensor/tensor.h"

namespace fg::nn {

struct CausalLossOptions {
  int64_t ignore_index = -100;
};

class CausalLoss {
 public:
  explicit CausalLoss(const CausalLossOptions& options = {}) : options_(options) {}
  // logits [B,T,V] F32, labels [B,T] I64 (unshifted) -> scalar; NaN if every label is ignored.
  Tensor operator()(const Tensor& logits, const Tensor& labels) const;

 private:
  CausalLossOptions options_;
};

}  // namespace fg::nn
