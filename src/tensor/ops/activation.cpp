// Pointwise activations, GLU (value * act(gate)) and dropout, each with a fused backward.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

const char* act_name(Activation a) {
  switch (a) {
    case Activation::Identity:
      return "identity";
    case Activation::ReLU:
      return "relu";
    case Activation::GELU:
      return "gelu";
    case Activation::SiLU:
      return "silu";
    case Activation::Sigmoid:
      return "sigmoid";
    case Activation::Tanh:
      return "tanh";
  }
  return "activation";
}

}  // namespace

Tensor apply_activation(const Tensor& x, Activation a) {
  const char* name = act_name(a);
  check_f32(x, name, "x");
  if (a == Activation::Identity) return x;
  Tensor out = empty_like(x);
  be(x).activation_forward(a, cptr(x), mptr(out), x.numel());
  Tensor saved = x.detach();
  autograd::record(out, name, {&x}, [a, saved](const Tensor& g, const std::vector<bool>&) {
    Tensor gx = empty_like(g);
    be(g).activation_backward(a, cptr(saved), cptr(g), mptr(gx), g.numel());
    return std::vector<Tensor>{gx};
  });
  return out;
}

Tensor relu(const Tensor& x) {
  return apply_activation(x, Activation::ReLU);
}
Tensor gelu(const Tensor& x) {
  return apply_activation(x, Activation::GELU);
}
Tensor silu(const Tensor& x) {
  return apply_activation(x, Activation::SiLU);
}
Tensor sigmoid(const Tensor& x) {
  return apply_activation(x, Activation::Sigmoid);
}
Tensor tanh(const Tensor& x) {
  return apply_activation(x, Activation::Tanh);
}

Tensor glu(const Tensor& value, const Tensor& gate, Activation act) {
  check_f32(value, "glu", "value");
  check_f32(gate, "glu", "gate");
  check_same_device(value, gate, "glu");
  FG_CHECK_SHAPE(value.shape() == gate.shape(), "[glu] value shape {} and gate shape {} differ",
                 shape_str(value.shape()), shape_str(gate.shape()));
  Tensor out = empty_like(value);
  be(value).glu_forward(act, cptr(value), cptr(gate), mptr(out), value.numel());
  Tensor sv = value.detach(), sg = gate.detach();
  autograd::record(
      out, "glu", {&value, &gate}, [act, sv, sg](const Tensor& g, const std::vector<bool>&) {
        Tensor gv = empty_like(g), gg = empty_like(g);
        be(g).glu_backward(act, cptr(sv), cptr(sg), cptr(g), mptr(gv), mptr(gg), g.numel());
        return std::vector<Tensor>{gv, gg};
      });
  return out;
}

Tensor dropout(const Tensor& x, float p, bool training, Rng& rng) {
  check_f32(x, "dropout", "x");
  FG_CHECK_SHAPE(p >= 0.f && p < 1.f, "[dropout] p must be in [0, 1), got {}", p);
  if (!training || p == 0.f) return x;
  Tensor out = empty_like(x);
  uint64_t seed = rng.seed();
  uint64_t base = rng.reserve(static_cast<uint64_t>(x.numel()));
  be(x).dropout_forward(cptr(x), mptr(out), x.numel(), p, seed, base);
  autograd::record(out, "dropout", {&x},
                   [p, seed, base](const Tensor& g, const std::vector<bool>&) {
                     Tensor gx = empty_like(g);
                     be(g).dropout_backward(cptr(g), mptr(gx), g.numel(), p, seed, base);
                     return std::vector<Tensor>{gx};
                   });
  return out;
}

}  // namespace fg::ops
