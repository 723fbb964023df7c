#include "nn/causal_loss.h"

#include "core/check.h"
#include "nn/module.h"
#include "tensor/ops.h"

namespace fg::nn {

Tensor CausalLoss::operator()(const Tensor& logits, const Tensor& labels) const {
  FG_CHECK_SHAPE(logits.dim() == 3 && labels.dim() == 2 && labels.dtype() == DType::I64 &&
                     labels.size(0) == logits.size(0) && labels.size(1) == logits.size(1),
                 "[CausalLoss] expected logits [B,T,V] and I64 labels [B,T], got {} and {}",
                 shape_str(logits.shape()), shape_str(labels.shape()));
  const int64_t b = logits.size(0), t = logits.size(1), v = logits.size(2);
  Tensor shifted = ops::shift_labels(labels, options_.ignore_index);
  return ops::cross_entropy(ops::reshape(logits, {b * t, v}), ops::reshape(shifted, {b * t}),
                            options_.ignore_index);
}

}  // namespace fg::nn
