// Pointwise activations, GLU (value * act(gate)) and dropout, each with a fused backward.
#include "tensor/autocast.h"
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

namespace {

void check_glu(const Tensor& value, const Tensor& gate, const char* op) {
  check_f32(value, op, "value");
  check_f32(gate, op, "gate");
  check_same_device(value, gate, op);
  FG_CHECK_SHAPE(value.shape() == gate.shape(), "[{}] value shape {} and gate shape {} differ", op,
                 shape_str(value.shape()), shape_str(gate.shape()));
}

// glu, with the dropout that follows it fused when drop.p > 0 (the counters already reserved;
// the inputs checked).
Tensor glu_with(const Tensor& value, const Tensor& gate, Activation act,
                const kernels::FusedDropout& drop) {
  Tensor out = empty_like(value);
  // Under autocast the two inputs (GEMM outputs, the largest activations of a GLU model) are kept
  // for backward in bf16, as torch.autocast keeps its bf16 linear outputs: half their memory. The
  // forward writes the copies in its own pass and backward reads them; the arithmetic stays f32.
  const bool saves = grad_enabled() && (value.requires_grad() || gate.requires_grad());
  if (saves && autocast_enabled()) {
    Tensor v16 = Tensor::empty(value.shape(), DType::BF16, value.device());
    Tensor g16 = Tensor::empty(value.shape(), DType::BF16, value.device());
    be(value).glu_forward_keep_bf16(act, cptr(value), cptr(gate), mptr(out), v16.data<BFloat16>(),
                                    g16.data<BFloat16>(), value.numel(), drop);
    autograd::record(out, "glu", {&value, &gate},
                     [act, v16, g16, drop](const Tensor& g, const std::vector<bool>&) {
                       Tensor gv = empty_like(g), gg = empty_like(g);
                       be(g).glu_backward_bf16(act, v16.data<BFloat16>(), g16.data<BFloat16>(),
                                               cptr(g), mptr(gv), mptr(gg), g.numel(), drop);
                       return std::vector<Tensor>{gv, gg};
                     });
    return out;
  }
  be(value).glu_forward(act, cptr(value), cptr(gate), mptr(out), value.numel(), drop);
  Tensor sv = value.detach(), sg = gate.detach();
  autograd::record(
      out, "glu", {&value, &gate}, [act, sv, sg, drop](const Tensor& g, const std::vector<bool>&) {
        Tensor gv = empty_like(g), gg = empty_like(g);
        be(g).glu_backward(act, cptr(sv), cptr(sg), cptr(g), mptr(gv), mptr(gg), g.numel(), drop);
        return std::vector<Tensor>{gv, gg};
      });
  return out;
}

}  // namespace

Tensor glu(const Tensor& value, const Tensor& gate, Activation act) {
  check_glu(value, gate, "glu");
  return glu_with(value, gate, act, {});
}

Tensor glu_dropout(const Tensor& value, const Tensor& gate, Activation act, float p, bool training,
                   Rng& rng, const BatchRows& rows) {
  check_glu(value, gate, "glu_dropout");
  FG_CHECK_SHAPE(p >= 0.f && p < 1.f, "[glu_dropout] p must be in [0, 1), got {}", p);
  if (!training || p == 0.f) return glu_with(value, gate, act, {});
  // A data-parallel shard draws by global row (dropout_rows): the two ops, the same bits.
  if (!rows.is_local()) return dropout(glu_with(value, gate, act, {}), p, training, rng, rows);
  kernels::FusedDropout drop;
  drop.p = p;
  drop.seed = rng.seed();
  drop.base = rng.reserve(static_cast<uint64_t>(value.numel()));
  return glu_with(value, gate, act, drop);
}

namespace {

// Dropout of a batch whose rows sit elsewhere in a global batch: one kernel call per row, each
// at its global row's counters.
Tensor dropout_rows(const Tensor& x, float p, Rng& rng, const BatchRows& rows) {
  FG_CHECK_SHAPE(x.dim() >= 1 && x.size(0) > 0, "[dropout] batch rows need a leading batch dim");
  const int64_t local = x.size(0);
  const int64_t row = x.numel() / local;
  Tensor out = empty_like(x);
  const uint64_t seed = rng.seed();
  const uint64_t base = rng.reserve(static_cast<uint64_t>(row * rows.global_rows(local)));
  auto row_base = [rows, row, base](int64_t b) {
    return base + static_cast<uint64_t>(rows.global_row(b) * row);
  };
  for (int64_t b = 0; b < local; ++b)
    be(x).dropout_forward(cptr(x) + b * row, mptr(out) + b * row, row, p, seed, row_base(b));
  autograd::record(out, "dropout", {&x},
                   [p, seed, local, row, row_base](const Tensor& g, const std::vector<bool>&) {
                     Tensor gx = empty_like(g);
                     for (int64_t b = 0; b < local; ++b)
                       be(g).dropout_backward(cptr(g) + b * row, mptr(gx) + b * row, row, p, seed,
                                              row_base(b));
                     return std::vector<Tensor>{gx};
                   });
  return out;
}

}  // namespace

Tensor dropout(const Tensor& x, float p, bool training, Rng& rng, const BatchRows& rows) {
  check_f32(x, "dropout", "x");
  FG_CHECK_SHAPE(p >= 0.f && p < 1.f, "[dropout] p must be in [0, 1), got {}", p);
  if (!training || p == 0.f) return x;
  if (!rows.is_local()) return dropout_rows(x, p, rng, rows);
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
