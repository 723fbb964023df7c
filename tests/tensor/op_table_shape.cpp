// Op-table rows: reshape, permute, transpose, slice, cat, matmul (plain and batched).
#include "core/error.h"
#include "kernels/ref/copy.h"
#include "kernels/ref/gemm.h"
#include "op_table.h"
#include "tensor/ops.h"

namespace fg::test {

using In = InputSpec;
using K = InputSpec::Kind;
namespace ref = kernels::ref;

namespace {

std::vector<int64_t> inverse(const std::vector<int64_t>& p) {
  std::vector<int64_t> inv(p.size());
  for (size_t i = 0; i < p.size(); ++i) inv[p[i]] = static_cast<int64_t>(i);
  return inv;
}

OpCase permute_row(const std::string& name, Shape s, std::vector<int64_t> perm, bool transpose) {
  OpCase c;
  c.name = name;
  c.op = transpose ? "transpose" : "permute";
  c.inputs = {In{K::Normal, s}};
  if (transpose) {
    // perm swaps two dims; recover them for the transpose call.
    int64_t d0 = -1, d1 = -1;
    for (size_t i = 0; i < perm.size(); ++i)
      if (perm[i] != static_cast<int64_t>(i)) (d0 < 0 ? d0 : d1) = static_cast<int64_t>(i);
    c.run = [=](const std::vector<Tensor>& x) { return ops::transpose(x[0], d0, d1); };
    c.errors = {{"dim out of range",
                 [] {
                   ops::transpose(Tensor::zeros({2, 3}), 0, 2);
                 },
                 "out of range"}};
  } else {
    c.run = [=](const std::vector<Tensor>& x) { return ops::permute(x[0], perm); };
    c.errors = {{"wrong rank",
                 [] {
                   ops::permute(Tensor::zeros({2, 3}), {0});
                 },
                 "got 1 dims"},
                {"repeated dim",
                 [] {
                   ops::permute(Tensor::zeros({2, 3}), {1, 1});
                 },
                 "appears twice"}};
  }
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(x[0].size());
    ref::permute(x[0].data(), y.data(), s, perm);
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Shape ps;
    for (int64_t d : perm) ps.push_back(s[d]);
    Vec gx(x[0].size());
    ref::permute(g.data(), gx.data(), ps, inverse(perm));
    return std::vector<Vec>{gx};
  };
  return c;
}

OpCase reshape_row() {
  OpCase c;
  c.name = "reshape";
  c.op = "reshape";
  c.inputs = {In{K::Normal, {2, 3, 4}}};
  c.run = [](const std::vector<Tensor>& x) { return ops::reshape(x[0], {4, -1}); };
  c.ref_forward = [](const std::vector<Vec>& x) { return x[0]; };
  c.ref_backward = [](const std::vector<Vec>&, const Vec& g) { return std::vector<Vec>{g}; };
  c.errors = {{"bad numel",
               [] {
                 ops::reshape(Tensor::zeros({2, 3}), {4, 2});
               },
               "cannot reshape"},
              {"two -1",
               [] {
                 ops::reshape(Tensor::zeros({2, 3}), {-1, -1});
               },
               "only one dim"}};
  return c;
}

OpCase slice_row() {
  // x [2, 5, 3] sliced on dim 1 to [1, 4)
  OpCase c;
  c.name = "slice";
  c.op = "slice";
  c.inputs = {In{K::Normal, {2, 5, 3}}};
  c.run = [](const std::vector<Tensor>& x) { return ops::slice(x[0], 1, 1, 4); };
  c.ref_forward = [](const std::vector<Vec>& x) {
    Vec y(2 * 3 * 3);
    ref::slice_forward(x[0].data(), y.data(), 2, 5, 3, 1, 4);
    return y;
  };
  c.ref_backward = [](const std::vector<Vec>& x, const Vec& g) {
    Vec gx(x[0].size(), 0.0);
    ref::slice_backward(g.data(), gx.data(), 2, 5, 3, 1, 4);
    return std::vector<Vec>{gx};
  };
  c.errors = {{"end past size",
               [] {
                 ops::slice(Tensor::zeros({2, 5}), 1, 2, 6);
               },
               "invalid"},
              {"start after end",
               [] {
                 ops::slice(Tensor::zeros({2, 5}), 1, 3, 2);
               },
               "invalid"},
              {"bad dim",
               [] {
                 ops::slice(Tensor::zeros({2, 5}), 2, 0, 1);
               },
               "out of range"}};
  return c;
}

OpCase cat_row() {
  // a [2, 2, 3] and b [2, 4, 3] joined on dim 1 -> [2, 6, 3]
  OpCase c;
  c.name = "cat";
  c.op = "cat";
  c.inputs = {In{K::Normal, {2, 2, 3}}, In{K::Normal, {2, 4, 3}}};
  c.run = [](const std::vector<Tensor>& x) { return ops::cat({x[0], x[1]}, 1); };
  c.ref_forward = [](const std::vector<Vec>& x) {
    Vec y(2 * 6 * 3, 0.0);
    ref::slice_backward(x[0].data(), y.data(), 2, 6, 3, 0, 2);
    ref::slice_backward(x[1].data(), y.data(), 2, 6, 3, 2, 6);
    return y;
  };
  c.ref_backward = [](const std::vector<Vec>&, const Vec& g) {
    Vec ga(2 * 2 * 3), gb(2 * 4 * 3);
    ref::slice_forward(g.data(), ga.data(), 2, 6, 3, 0, 2);
    ref::slice_forward(g.data(), gb.data(), 2, 6, 3, 2, 6);
    return std::vector<Vec>{ga, gb};
  };
  c.errors = {{"empty list", [] { ops::cat({}, 0); }, "at least one"},
              {"mismatch",
               [] {
                 ops::cat({Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}, 1);
               },
               "differs"}};
  return c;
}

OpCase matmul_row(const std::string& name, int64_t B, int64_t M, int64_t K_, int64_t N) {
  // B == 0: a [2, M, K] x b [K, N] (a's leading dims fold into M); else batched [B,M,K]x[B,K,N].
  bool batched = B > 0;
  int64_t batch = batched ? B : 1, rows = batched ? M : 2 * M;
  OpCase c;
  c.name = name;
  c.op = "matmul";
  c.inputs = {In{K::Normal, batched ? Shape{B, M, K_} : Shape{2, M, K_}},
              In{K::Normal, batched ? Shape{B, K_, N} : Shape{K_, N}}};
  c.run = [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); };
  c.dtypes = {{DType::BF16, kBf16Tol}};
  c.ref_forward = [=](const std::vector<Vec>& x) {
    Vec y(batch * rows * N);
    for (int64_t b = 0; b < batch; ++b)
      ref::gemm<double>(false, false, rows, N, K_, 1, x[0].data() + b * rows * K_, K_,
                        x[1].data() + (batched ? b * K_ * N : 0), N, 0, y.data() + b * rows * N, N);
    return y;
  };
  c.ref_backward = [=](const std::vector<Vec>& x, const Vec& g) {
    Vec ga(x[0].size()), gb(x[1].size(), 0.0);
    for (int64_t b = 0; b < batch; ++b) {
      const double* gi = g.data() + b * rows * N;
      int64_t bo = batched ? b * K_ * N : 0;
      ref::gemm<double>(false, true, rows, K_, N, 1, gi, N, x[1].data() + bo, N, 0,
                        ga.data() + b * rows * K_, K_);
      ref::gemm<double>(true, false, K_, N, rows, 1, x[0].data() + b * rows * K_, K_, gi, N, 1,
                        gb.data() + bo, N);
    }
    return std::vector<Vec>{ga, gb};
  };
  c.errors = {{"inner mismatch",
               [] {
                 ops::matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 2}));
               },
               "inner dims differ"},
              {"batch mismatch",
               [] {
                 ops::matmul(Tensor::zeros({2, 2, 3}), Tensor::zeros({3, 3, 2}));
               },
               "batch dims differ"},
              {"1-d input",
               [] {
                 ops::matmul(Tensor::zeros({3}), Tensor::zeros({3, 2}));
               },
               "at least 2 dims"}};
  return c;
}

}  // namespace

void add_shape_rows(std::vector<OpCase>& t) {
  t.push_back(reshape_row());
  t.push_back(permute_row("permute", {2, 3, 4, 5}, {0, 2, 1, 3}, false));
  t.push_back(permute_row("permute_inner", {2, 3, 4}, {2, 0, 1}, false));
  t.push_back(permute_row("transpose", {3, 4, 5}, {0, 2, 1}, true));
  t.push_back(slice_row());
  t.push_back(cat_row());
  t.push_back(matmul_row("matmul", 0, 3, 4, 5));
  t.push_back(matmul_row("matmul_batched", 3, 4, 5, 2));
}

}  // namespace fg::test
