// add/sub/mul with trailing broadcast, scale, add_scalar, sum, mean.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;
using kernels::BinaryOp;

namespace {

const char* binary_name(BinaryOp op) {
  return op == BinaryOp::Add ? "add" : op == BinaryOp::Sub ? "sub" : "mul";
}

// b's shape must equal a trailing part of a's shape (b broadcast over a's leading dims).
void check_broadcast(const Tensor& a, const Tensor& b, const char* op) {
  check_f32(a, op, "a");
  check_f32(b, op, "b");
  check_same_device(a, b, op);
  const Shape& as = a.shape();
  const Shape& bs = b.shape();
  bool ok = bs.size() <= as.size() && std::equal(bs.rbegin(), bs.rend(), as.rbegin());
  FG_CHECK_SHAPE(ok,
                 "[{}] shapes {} and {} do not match: b must equal a's shape or its trailing "
                 "dims",
                 op, shape_str(as), shape_str(bs));
}

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  const char* name = binary_name(op);
  check_broadcast(a, b, name);
  Tensor out = empty_like(a);
  int64_t n = a.numel(), nb = b.numel();
  if (n > 0 && nb > 0) be(a).binary_forward(op, cptr(a), cptr(b), mptr(out), n, nb);
  bool save_a = op == BinaryOp::Mul && b.requires_grad();
  bool save_b = op == BinaryOp::Mul && a.requires_grad();
  Tensor sa = save_a ? a.detach() : Tensor(), sb = save_b ? b.detach() : Tensor();
  Shape bshape = b.shape();
  autograd::record(out, name, {&a, &b},
                   [op, sa, sb, bshape, n, nb](const Tensor& g, const std::vector<bool>& need) {
                     Tensor ga, gb;
                     if (op != BinaryOp::Mul && need[0]) ga = g;
                     if (op == BinaryOp::Mul && need[0]) ga = empty_like(g);
                     if (need[1]) {
                       if (op == BinaryOp::Add && n == nb) {
                         gb = g;
                       } else {
                         gb = Tensor::empty(bshape, DType::F32, g.device());
                       }
                     }
                     bool run = (op == BinaryOp::Mul && need[0]) ||
                                (need[1] && !(op == BinaryOp::Add && n == nb));
                     if (run && n > 0)
                       be(g).binary_backward(op, cptr(sa), cptr(sb), cptr(g),
                                             op == BinaryOp::Mul ? mptr(ga) : nullptr,
                                             (op == BinaryOp::Add && n == nb) ? nullptr : mptr(gb),
                                             n, nb);
                     return std::vector<Tensor>{ga, gb};
                   });
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  return binary(BinaryOp::Add, a, b);
}
Tensor sub(const Tensor& a, const Tensor& b) {
  return binary(BinaryOp::Sub, a, b);
}
Tensor mul(const Tensor& a, const Tensor& b) {
  return binary(BinaryOp::Mul, a, b);
}

Tensor scale(const Tensor& a, float s) {
  check_f32(a, "scale", "a");
  Tensor out = empty_like(a);
  be(a).affine(cptr(a), mptr(out), a.numel(), s, 0.f);
  autograd::record(out, "scale", {&a}, [s](const Tensor& g, const std::vector<bool>&) {
    Tensor ga = empty_like(g);
    be(g).affine(cptr(g), mptr(ga), g.numel(), s, 0.f);
    return std::vector<Tensor>{ga};
  });
  return out;
}

Tensor add_scalar(const Tensor& a, float s) {
  check_f32(a, "add_scalar", "a");
  Tensor out = empty_like(a);
  be(a).affine(cptr(a), mptr(out), a.numel(), 1.f, s);
  autograd::record(out, "add_scalar", {&a}, [](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{g};
  });
  return out;
}

namespace {

Tensor reduce_all(const Tensor& a, const char* name, float factor) {
  check_f32(a, name, "a");
  Tensor out = Tensor::empty({}, DType::F32, a.device());
  be(a).sum(cptr(a), a.numel(), mptr(out));
  if (factor != 1.f) be(a).scale(mptr(out), 1, factor);
  Shape shape = a.shape();
  autograd::record(out, name, {&a}, [shape, factor](const Tensor& g, const std::vector<bool>&) {
    Tensor ga = Tensor::empty(shape, DType::F32, g.device());
    be(g).fill_scaled(cptr(g), factor, mptr(ga), ga.numel());
    return std::vector<Tensor>{ga};
  });
  return out;
}

}  // namespace

Tensor sum(const Tensor& a) {
  return reduce_all(a, "sum", 1.f);
}

Tensor mean(const Tensor& a) {
  check_f32(a, "mean", "a");
  FG_CHECK_SHAPE(a.numel() > 0, "[mean] needs at least one element, got shape {}",
                 shape_str(a.shape()));
  return reduce_all(a, "mean", 1.f / static_cast<float>(a.numel()));
}

}  // namespace fg::ops
