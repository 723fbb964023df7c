// Op-table rows: binary ops with broadcasting, scalar ops, reductions, activations, GLU, dropout.
#include "core/error.h"
#include "kernels/ref/elementwise.h"
#include "op_table.h"
#include "tensor/autocast.h"
#include "tensor/ops.h"

namespace fg::test {

using kernels::Activation;
using kernels::BinaryOp;
using In = InputSpec;
using K = InputSpec::Kind;

namespace {

OpCase binary_row(const std::string& name, BinaryOp op, Shape a, Shape b,
                  Tensor (*fn)(const Tensor&, const Tensor&), const std::string& opname) {
  OpCase c;
  c.name = name;
  c.op = opname;
  c.inputs = {In{K::Normal, a}, In{K::Normal, b}};
  c.run = [fn](const std::vector<Tensor>& x) { return fn(x[0], x[1]); };
  c.ref_forward = [op](const std::vector<Vec>& x) {
    Vec y(x[0].size());
    kernels::ref::binary_forward(op, x[0].data(), x[1].data(), y.data(), y.size(), x[1].size());
    return y;
  };
  c.ref_backward = [op](const std::vector<Vec>& x, const Vec& g) {
    Vec ga(x[0].size()), gb(x[1].size());
    kernels::ref::binary_backward(op, x[0].data(), x[1].data(), g.data(), ga.data(), gb.data(),
                                  ga.size(), gb.size());
    return std::vector<Vec>{ga, gb};
  };
  c.errors = {
      {"mismatched shapes",
       [fn] {
         fn(Tensor::zeros({2, 3}), Tensor::zeros({2}));
       },
       "do not match"},
      {"b larger than a",
       [fn] {
         fn(Tensor::zeros({3}), Tensor::zeros({2, 3}));
       },
       "do not match"},
      {"i64 input", [fn] { fn(Tensor::zeros({2}, DType::I64), Tensor::zeros({2})); },
       "must be f32"},
      {"undefined input", [fn] { fn(Tensor(), Tensor::zeros({2})); }, "undefined"},
  };
  return c;
}

OpCase activation_row(const std::string& name, Activation a, Tensor (*fn)(const Tensor&)) {
  OpCase c;
  c.name = name;
  c.op = name;
  c.inputs = {In{K::Normal, {3, 2, 7}}};
  c.run = [fn](const std::vector<Tensor>& x) { return fn(x[0]); };
  c.ref_forward = [a](const std::vector<Vec>& x) {
    Vec y(x[0].size());
    kernels::ref::activation_forward(a, x[0].data(), y.data(), y.size());
    return y;
  };
  c.ref_backward = [a](const std::vector<Vec>& x, const Vec& g) {
    Vec gx(x[0].size());
    kernels::ref::activation_backward(a, x[0].data(), g.data(), gx.data(), gx.size());
    return std::vector<Vec>{gx};
  };
  c.errors = {{"i64 input", [fn] { fn(Tensor::zeros({2}, DType::I64)); }, "must be f32"}};
  return c;
}

// autocast: the op keeps its inputs for backward in bf16 (the gradients move by that rounding).
OpCase glu_row(const std::string& name, Activation a, bool autocast = false) {
  OpCase c;
  c.name = name;
  c.op = "glu";
  c.inputs = {In{K::Normal, {4, 9}}, In{K::Normal, {4, 9}}};
  c.run = [a, autocast](const std::vector<Tensor>& x) {
    AutocastGuard mixed(autocast);
    return ops::glu(x[0], x[1], a);
  };
  if (autocast) c.tol = kBf16Tol;
  c.ref_forward = [a](const std::vector<Vec>& x) {
    Vec y(x[0].size());
    kernels::ref::glu_forward(a, x[0].data(), x[1].data(), y.data(), y.size());
    return y;
  };
  c.ref_backward = [a](const std::vector<Vec>& x, const Vec& g) {
    Vec gv(x[0].size()), gg(x[0].size());
    kernels::ref::glu_backward(a, x[0].data(), x[1].data(), g.data(), gv.data(), gg.data(),
                               gv.size());
    return std::vector<Vec>{gv, gg};
  };
  c.errors = {{"shape mismatch",
               [a] {
                 ops::glu(Tensor::zeros({4, 9}), Tensor::zeros({4, 8}), a);
               },
               "differ"}};
  return c;
}

OpCase scalar_row(const std::string& name, float alpha, float beta) {
  OpCase c;
  c.name = name;
  c.op = name;
  c.inputs = {In{K::Normal, {5, 3}}};
  c.run = [=](const std::vector<Tensor>& x) {
    return beta != 0.f ? ops::add_scalar(x[0], beta) : ops::scale(x[0], alpha);
  };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(x[0]);
    for (double& v : y) v = alpha * v + beta;
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>&, const Vec& g) {
    Vec gx(g);
    for (double& v : gx) v *= alpha;
    return std::vector<Vec>{gx};
  };
  c.errors = {{"i64 input",
               [=] {
                 Tensor t = Tensor::zeros({2}, DType::I64);
                 beta != 0.f ? ops::add_scalar(t, beta) : ops::scale(t, alpha);
               },
               "must be f32"}};
  return c;
}

OpCase reduce_row(const std::string& name, bool mean) {
  OpCase c;
  c.name = name;
  c.op = name;
  c.inputs = {In{K::Normal, {6, 5}}};
  c.run = [mean](const std::vector<Tensor>& x) { return mean ? ops::mean(x[0]) : ops::sum(x[0]); };
  c.ref_forward = [mean](const std::vector<Vec>& x) {
    double s = 0;
    for (double v : x[0]) s += v;
    return Vec{mean ? s / x[0].size() : s};
  };
  c.ref_backward = [mean](const std::vector<Vec>& x, const Vec& g) {
    return std::vector<Vec>{Vec(x[0].size(), mean ? g[0] / x[0].size() : g[0])};
  };
  c.errors = {{"i64 input",
               [mean] {
                 Tensor t = Tensor::zeros({2}, DType::I64);
                 mean ? ops::mean(t) : ops::sum(t);
               },
               "must be f32"}};
  if (mean) c.errors.push_back({"empty", [] { ops::mean(Tensor::zeros({0})); }, "at least one"});
  return c;
}

OpCase dropout_row() {
  constexpr float p = 0.3f;
  constexpr uint64_t seed = 1234;
  OpCase c;
  c.name = "dropout";
  c.op = "dropout";
  c.inputs = {In{K::Normal, {8, 33}}};
  // A fresh Rng per call: counters start at 0, so the mask is random_bits(seed, i).
  c.run = [](const std::vector<Tensor>& x) {
    Rng rng(seed);
    return ops::dropout(x[0], p, true, rng);
  };
  c.ref_forward = [](const std::vector<Vec>& x) {
    Vec y(x[0].size());
    kernels::ref::dropout_forward(x[0].data(), y.data(), y.size(), p, seed, 0);
    return y;
  };
  c.ref_backward = [](const std::vector<Vec>&, const Vec& g) {
    Vec gx(g.size());
    kernels::ref::dropout_forward(g.data(), gx.data(), g.size(), p, seed, 0);
    return std::vector<Vec>{gx};
  };
  c.errors = {{"p = 1",
               [] {
                 Rng rng(1);
                 ops::dropout(Tensor::zeros({2}), 1.f, true, rng);
               },
               "[0, 1)"},
              {"negative p",
               [] {
                 Rng rng(1);
                 ops::dropout(Tensor::zeros({2}), -0.1f, true, rng);
               },
               "[0, 1)"}};
  return c;
}

// glu then dropout in one op (the GLU feed-forward's gated product); autocast: the inputs kept
// in bf16 for backward.
OpCase glu_dropout_row(const std::string& name, bool autocast) {
  constexpr float p = 0.3f;
  constexpr uint64_t seed = 77;
  constexpr Activation a = Activation::SiLU;
  OpCase c;
  c.name = name;
  c.op = "glu_dropout";
  c.inputs = {In{K::Normal, {6, 11}}, In{K::Normal, {6, 11}}};
  c.run = [autocast](const std::vector<Tensor>& x) {
    Rng rng(seed);
    AutocastGuard mixed(autocast);
    return ops::glu_dropout(x[0], x[1], a, p, true, rng);
  };
  if (autocast) c.tol = kBf16Tol;
  c.ref_forward = [](const std::vector<Vec>& x) {
    Vec z(x[0].size()), y(x[0].size());
    kernels::ref::glu_forward(a, x[0].data(), x[1].data(), z.data(), z.size());
    kernels::ref::dropout_forward(z.data(), y.data(), y.size(), p, seed, 0);
    return y;
  };
  c.ref_backward = [](const std::vector<Vec>& x, const Vec& g) {
    Vec gz(g.size()), gv(g.size()), gg(g.size());
    kernels::ref::dropout_forward(g.data(), gz.data(), g.size(), p, seed, 0);
    kernels::ref::glu_backward(a, x[0].data(), x[1].data(), gz.data(), gv.data(), gg.data(),
                               gv.size());
    return std::vector<Vec>{gv, gg};
  };
  c.errors = {{"shape mismatch",
               [] {
                 Rng rng(1);
                 ops::glu_dropout(Tensor::zeros({4, 9}), Tensor::zeros({4, 8}), a, p, true, rng);
               },
               "differ"},
              {"p = 1",
               [] {
                 Rng rng(1);
                 ops::glu_dropout(Tensor::zeros({2}), Tensor::zeros({2}), a, 1.f, true, rng);
               },
               "[0, 1)"}};
  return c;
}

}  // namespace

void add_elementwise_rows(std::vector<OpCase>& t) {
  t.push_back(binary_row("add", BinaryOp::Add, {3, 4}, {3, 4}, ops::add, "add"));
  t.push_back(binary_row("add_broadcast", BinaryOp::Add, {2, 3, 4}, {4}, ops::add, "add"));
  t.push_back(binary_row("add_scalar_tensor", BinaryOp::Add, {3, 4}, {}, ops::add, "add"));
  t.push_back(binary_row("sub", BinaryOp::Sub, {3, 4}, {3, 4}, ops::sub, "sub"));
  t.push_back(binary_row("sub_broadcast", BinaryOp::Sub, {2, 3, 4}, {3, 4}, ops::sub, "sub"));
  t.push_back(binary_row("mul", BinaryOp::Mul, {3, 4}, {3, 4}, ops::mul, "mul"));
  t.push_back(binary_row("mul_broadcast", BinaryOp::Mul, {5, 4}, {4}, ops::mul, "mul"));
  t.push_back(scalar_row("scale", -1.5f, 0.f));
  t.push_back(scalar_row("add_scalar", 1.f, 0.75f));
  t.push_back(reduce_row("sum", false));
  t.push_back(reduce_row("mean", true));
  t.push_back(activation_row("relu", Activation::ReLU, ops::relu));
  t.push_back(activation_row("gelu", Activation::GELU, ops::gelu));
  t.push_back(activation_row("silu", Activation::SiLU, ops::silu));
  t.push_back(activation_row("sigmoid", Activation::Sigmoid, ops::sigmoid));
  t.push_back(activation_row("tanh", Activation::Tanh, ops::tanh));
  t.push_back(glu_row("glu_silu", Activation::SiLU));
  t.push_back(glu_row("glu_gelu", Activation::GELU));
  t.push_back(glu_row("glu_sigmoid", Activation::Sigmoid));
  t.push_back(glu_row("glu_relu", Activation::ReLU));
  t.push_back(glu_row("glu_silu_autocast", Activation::SiLU, true));
  t.push_back(dropout_row());
  t.push_back(glu_dropout_row("glu_dropout", false));
  t.push_back(glu_dropout_row("glu_dropout_autocast", true));
}

}  // namespace fg::test
