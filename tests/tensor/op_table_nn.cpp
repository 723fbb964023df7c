// Op-table rows: linear (+bias, +activation), embedding, LayerNorm, RMSNorm, softmax,
// log-softmax, cross-entropy.
#include "core/error.h"
#include "kernels/ref/copy.h"
#include "kernels/ref/elementwise.h"
#include "kernels/ref/gemm.h"
#include "kernels/ref/norm.h"
#include "kernels/ref/softmax.h"
#include "op_table.h"
#include "tensor/autocast.h"
#include "tensor/ops.h"

namespace fg::test {

using kernels::Activation;
using In = InputSpec;
using K = InputSpec::Kind;
namespace ref = kernels::ref;

namespace {

std::vector<int64_t> to_ids(const Vec& v) {
  return std::vector<int64_t>(v.begin(), v.end());
}

OpCase linear_row(const std::string& name, bool bias, Activation act, bool autocast = false) {
  constexpr int64_t rows = 6, in = 5, out = 4;  // x [2, 3, 5], w [4, 5], b [4]
  OpCase c;
  c.name = name;
  c.op = act == Activation::Identity ? "linear" : "linear_act";
  c.inputs = {In{K::Normal, {2, 3, in}}, In{K::Normal, {out, in}}};
  if (bias) c.inputs.push_back(In{K::Normal, {out}, 0, false, true});  // a bias stays f32
  c.run = [=](const std::vector<Tensor>& x) {
    AutocastGuard mixed(autocast);
    return ops::linear_act(x[0], x[1], bias ? x[2] : Tensor(), act);
  };
  // Under autocast the inputs stay f32 and are rounded inside the op; otherwise the row also
  // runs with bf16 x and weight.
  if (!autocast) c.dtypes = {{DType::BF16, kBf16Tol}};
  if (autocast) c.tol = kBf16Tol;
  auto pre = [=](const std::vector<Vec>& x) {
    Vec y(rows * out);
    ref::gemm<double>(false, true, rows, out, in, 1, x[0].data(), in, x[1].data(), in, 0, y.data(),
                      out);
    if (bias)
      for (int64_t i = 0; i < rows * out; ++i) y[i] += x[2][i % out];
    return y;
  };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y = pre(x);
    ref::activation_forward(act, y.data(), y.data(), y.size());
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec p = pre(x), gp(g.size());
    ref::activation_backward(act, p.data(), g.data(), gp.data(), gp.size());
    Vec gx(rows * in), gw(out * in), gb(out, 0.0);
    ref::gemm<double>(false, false, rows, in, out, 1, gp.data(), out, x[1].data(), in, 0, gx.data(),
                      in);
    ref::gemm<double>(true, false, out, in, rows, 1, gp.data(), out, x[0].data(), in, 0, gw.data(),
                      in);
    for (int64_t i = 0; i < rows * out; ++i) gb[i % out] += gp[i];
    std::vector<Vec> r{gx, gw};
    if (bias) r.push_back(gb);
    return r;
  };
  std::string op = c.op;
  c.errors = {
      {"mixed dtypes",
       [=] {
         ops::linear_act(Tensor::zeros({2, 5}).to(DType::BF16), Tensor::zeros({4, 5}), Tensor(),
                         act);
       },
       "x and weight must have the same dtype, got bf16 and f32"},
      {"f16 operands",
       [=] {
         ops::linear_act(Tensor::zeros({2, 5}).to(DType::F16), Tensor::zeros({4, 5}).to(DType::F16),
                         Tensor(), act);
       },
       "x is f16, which the cpu backend's gemm kernels do not take"},
      {"in_features mismatch",
       [=] {
         ops::linear_act(Tensor::zeros({2, 5}), Tensor::zeros({4, 6}), Tensor(), act);
       },
       "does not match weight in_features"},
      {"bias shape",
       [=] {
         ops::linear_act(Tensor::zeros({2, 5}), Tensor::zeros({4, 5}), Tensor::zeros({5}), act);
       },
       "bias must be [4]"},
      {"3-d weight",
       [=] {
         ops::linear_act(Tensor::zeros({2, 5}), Tensor::zeros({1, 4, 5}), Tensor(), act);
       },
       "weight must be [out, in]"}};
  return c;
}

OpCase embedding_row() {
  constexpr int64_t V = 7, D = 6, n = 10;
  OpCase c;
  c.name = "embedding";
  c.op = "embedding";
  c.inputs = {In{K::Normal, {V, D}}, In{K::Ids, {2, 5}, V}};
  c.run = [](const std::vector<Tensor>& x) { return ops::embedding(x[0], x[1]); };
  c.ref_forward = [](const std::vector<Vec>& x) {
    Vec y(n * D);
    ref::embedding_forward(x[0].data(), to_ids(x[1]).data(), y.data(), n, D);
    return y;
  };
  c.ref_backward = [](const std::vector<Vec>& x, const Vec& g) {
    Vec gw(V * D);
    ref::embedding_backward(to_ids(x[1]).data(), g.data(), gw.data(), n, V, D);
    return std::vector<Vec>{gw, Vec{}};
  };
  c.errors = {
      {"id out of range",
       [] {
         ops::embedding(Tensor::zeros({3, 2}), Tensor::from_vector_i64({0, 3}, {2}));
       },
       "out of range for a vocabulary of 3"},
      {"f32 ids",
       [] {
         ops::embedding(Tensor::zeros({3, 2}), Tensor::zeros({2}));
       },
       "ids must be i64 or i32"},
      {"1-d weight", [] { ops::embedding(Tensor::zeros({3}), Tensor::from_vector_i64({0}, {1})); },
       "weight must be [V, D]"}};
  return c;
}

OpCase layer_norm_row(const std::string& name, bool affine) {
  constexpr int64_t rows = 6, D = 8;
  constexpr float eps = 1e-5f;
  OpCase c;
  c.name = name;
  c.op = "layer_norm";
  c.inputs = {In{K::Normal, {2, 3, D}}};
  if (affine) c.inputs.insert(c.inputs.end(), {In{K::Normal, {D}}, In{K::Normal, {D}}});
  c.run = [=](const std::vector<Tensor>& x) {
    return ops::layer_norm(x[0], affine ? x[1] : Tensor(), affine ? x[2] : Tensor(), eps);
  };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(rows * D), m(rows), r(rows);
    ref::layer_norm_forward<double>(x[0].data(), affine ? x[1].data() : nullptr,
                                    affine ? x[2].data() : nullptr, y.data(), m.data(), r.data(),
                                    rows, D, eps);
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec y(rows * D), m(rows), r(rows), gx(rows * D), gw(D), gb(D);
    const double* w = affine ? x[1].data() : nullptr;
    ref::layer_norm_forward<double>(x[0].data(), w, affine ? x[2].data() : nullptr, y.data(),
                                    m.data(), r.data(), rows, D, eps);
    ref::layer_norm_backward<double>(x[0].data(), w, m.data(), r.data(), g.data(), gx.data(),
                                     gw.data(), gb.data(), rows, D);
    return affine ? std::vector<Vec>{gx, gw, gb} : std::vector<Vec>{gx};
  };
  c.errors = {{"weight size",
               [] {
                 ops::layer_norm(Tensor::zeros({2, 4}), Tensor::zeros({3}), Tensor(), 1e-5f);
               },
               "weight must have shape [4]"},
              {"scalar x", [] { ops::layer_norm(Tensor::zeros({}), Tensor(), Tensor(), 1e-5f); },
               "at least 1 dims"}};
  return c;
}

OpCase rms_norm_row(const std::string& name, bool affine) {
  constexpr int64_t rows = 5, D = 8;
  constexpr float eps = 1e-6f;
  OpCase c;
  c.name = name;
  c.op = "rms_norm";
  c.inputs = {In{K::Normal, {rows, D}}};
  if (affine) c.inputs.push_back(In{K::Normal, {D}});
  c.run = [=](const std::vector<Tensor>& x) {
    return ops::rms_norm(x[0], affine ? x[1] : Tensor(), eps);
  };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(rows * D), r(rows);
    ref::rms_norm_forward<double>(x[0].data(), affine ? x[1].data() : nullptr, y.data(), r.data(),
                                  rows, D, eps);
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec y(rows * D), r(rows), gx(rows * D), gw(D);
    const double* w = affine ? x[1].data() : nullptr;
    ref::rms_norm_forward<double>(x[0].data(), w, y.data(), r.data(), rows, D, eps);
    ref::rms_norm_backward<double>(x[0].data(), w, r.data(), g.data(), gx.data(), gw.data(), rows,
                                   D);
    return affine ? std::vector<Vec>{gx, gw} : std::vector<Vec>{gx};
  };
  c.errors = {{"weight size",
               [] {
                 ops::rms_norm(Tensor::zeros({2, 4}), Tensor::zeros({2, 4}), 1e-5f);
               },
               "weight must have shape [4]"},
              {"negative eps",
               [] {
                 ops::rms_norm(Tensor::zeros({2, 4}), Tensor(), -1.f);
               },
               "eps must be >= 0"}};
  return c;
}

OpCase softmax_row(bool log) {
  constexpr int64_t rows = 6, D = 9;
  OpCase c;
  c.name = log ? "log_softmax" : "softmax";
  c.op = c.name;
  c.inputs = {In{K::Normal, {2, 3, D}}};
  c.run = [=](const std::vector<Tensor>& x) {
    return log ? ops::log_softmax(x[0]) : ops::softmax(x[0]);
  };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(rows * D);
    ref::softmax_forward(x[0].data(), y.data(), rows, D, log);
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec y(rows * D), gx(rows * D);
    ref::softmax_forward(x[0].data(), y.data(), rows, D, log);
    ref::softmax_backward(y.data(), g.data(), gx.data(), rows, D, log);
    return std::vector<Vec>{gx};
  };
  c.errors = {{"scalar",
               [=] { log ? ops::log_softmax(Tensor::zeros({})) : ops::softmax(Tensor::zeros({})); },
               "at least 1 dims"}};
  return c;
}

OpCase cross_entropy_row(const std::string& name, Shape logits, bool ignore) {
  int64_t V = logits.back(), N = shape_numel(logits) / V;
  Shape lab(logits.begin(), logits.end() - 1);
  OpCase c;
  c.name = name;
  c.op = "cross_entropy";
  c.inputs = {In{K::Normal, logits}, In{K::Ids, lab, V, ignore}};
  c.run = [](const std::vector<Tensor>& x) { return ops::cross_entropy(x[0], x[1]); };
  c.ref_forward = [=](const std::vector<Vec>& x) {
    int64_t count = 0;
    return Vec{ref::cross_entropy_forward(x[0].data(), to_ids(x[1]).data(), N, V, -100, &count)};
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec gl(N * V);
    ref::cross_entropy_backward(x[0].data(), to_ids(x[1]).data(), g[0], N, V, -100, gl.data());
    return std::vector<Vec>{gl, Vec{}};
  };
  c.errors = {{"label out of range",
               [] {
                 ops::cross_entropy(Tensor::zeros({2, 3}), Tensor::from_vector_i64({0, 3}, {2}));
               },
               "outside [0, 3)"},
              {"label count",
               [] {
                 ops::cross_entropy(Tensor::zeros({2, 3}), Tensor::from_vector_i64({0}, {1}));
               },
               "does not match logits"},
              {"f32 labels",
               [] {
                 ops::cross_entropy(Tensor::zeros({2, 3}), Tensor::zeros({2}));
               },
               "labels must be i64 or i32"}};
  return c;
}

}  // namespace

void add_nn_rows(std::vector<OpCase>& t) {
  t.push_back(linear_row("linear", true, Activation::Identity));
  t.push_back(linear_row("linear_nobias", false, Activation::Identity));
  t.push_back(linear_row("linear_gelu", true, Activation::GELU));
  t.push_back(linear_row("linear_relu_nobias", false, Activation::ReLU));
  t.push_back(linear_row("linear_autocast", true, Activation::Identity, true));
  t.push_back(linear_row("linear_gelu_autocast", true, Activation::GELU, true));
  t.push_back(embedding_row());
  t.push_back(layer_norm_row("layer_norm", true));
  t.push_back(layer_norm_row("layer_norm_noaffine", false));
  t.push_back(rms_norm_row("rms_norm", true));
  t.push_back(rms_norm_row("rms_norm_noweight", false));
  t.push_back(softmax_row(false));
  t.push_back(softmax_row(true));
  t.push_back(cross_entropy_row("cross_entropy", {6, 11}, false));
  t.push_back(cross_entropy_row("cross_entropy_ignore_3d", {2, 4, 7}, true));
}

}  // namespace fg::test
