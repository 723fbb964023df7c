// softmax / log_softmax over the last dim and the fused softmax-cross-entropy loss.
#include <limits>

#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

Tensor softmax_like(const Tensor& x, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  check_f32(x, op, "x");
  check_min_dim(x, 1, op, "x");
  int64_t D = x.size(-1), rows = rows_of(x);
  Tensor y = empty_like(x);
  if (x.numel() > 0) {
    if (log)
      be(x).log_softmax_forward(cptr(x), mptr(y), rows, D);
    else
      be(x).softmax_forward(cptr(x), mptr(y), rows, D);
  }
  Tensor sy = y.detach();
  autograd::record(y, op, {&x}, [sy, rows, D, log](const Tensor& g, const std::vector<bool>&) {
    Tensor gx = empty_like(g);
    if (g.numel() == 0) return std::vector<Tensor>{gx};
    if (log)
      be(g).log_softmax_backward(cptr(sy), cptr(g), mptr(gx), rows, D);
    else
      be(g).softmax_backward(cptr(sy), cptr(g), mptr(gx), rows, D);
    return std::vector<Tensor>{gx};
  });
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x) {
  return softmax_like(x, false);
}
Tensor log_softmax(const Tensor& x) {
  return softmax_like(x, true);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& labels_in, int64_t ignore_index) {
  check_f32(logits, "cross_entropy", "logits");
  Tensor labels = ids_as_i64(labels_in, "cross_entropy", "labels");
  check_min_dim(logits, 2, "cross_entropy", "logits");
  int64_t V = logits.size(-1), N = rows_of(logits);
  Shape lead(logits.shape().begin(), logits.shape().end() - 1);
  FG_CHECK_SHAPE(labels.shape() == lead || (labels.dim() == 1 && labels.numel() == N),
                 "[cross_entropy] labels shape {} does not match logits {} (expected {})",
                 shape_str(labels.shape()), shape_str(logits.shape()), shape_str(lead));
  FG_CHECK_SHAPE(V > 0, "[cross_entropy] logits need at least one class, got {}",
                 shape_str(logits.shape()));
  check_same_device(logits, labels, "cross_entropy");
  const BadId bad = find_bad_id(labels, 0, V, ignore_index, "cross_entropy");
  FG_CHECK_SHAPE(bad.position < 0,
                 "[cross_entropy] label {} at position {} is outside [0, {}) and is not "
                 "ignore_index {}",
                 bad.value, bad.position, V, ignore_index);
  Tensor loss = Tensor::empty({}, DType::F32, logits.device());
  Tensor lse = Tensor::empty({N}, DType::F32, logits.device());
  Tensor count = Tensor::empty({1}, DType::I64, logits.device());  // rows not ignored
  be(logits).cross_entropy_forward(cptr(logits), labels.data<int64_t>(), mptr(lse), mptr(loss),
                                   count.data<int64_t>(), N, V, ignore_index);
  Tensor sl = logits.detach(), slab = labels.detach();
  autograd::record(
      loss, "cross_entropy", {&logits},
      [sl, slab, lse, count, N, V, ignore_index](const Tensor& g, const std::vector<bool>&) {
        Tensor gl = empty_like(sl);
        be(g).cross_entropy_backward_dev(cptr(sl), slab.data<int64_t>(), cptr(lse), cptr(g),
                                         count.data<int64_t>(), mptr(gl), N, V, ignore_index);
        return std::vector<Tensor>{gl};
      });
  return loss;
}

}  // namespace fg::ops
