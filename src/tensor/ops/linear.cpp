// matmul and linear: the GEMM library does the work; bias and activation are fused after it,
// and linear's backward is two GEMMs plus a bias column sum.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

void check_linear(const Tensor& x, const Tensor& w, const Tensor& b, const char* op) {
  check_f32(x, op, "x");
  check_f32(w, op, "weight");
  check_min_dim(x, 1, op, "x");
  check_same_device(x, w, op);
  FG_CHECK_SHAPE(w.dim() == 2, "[{}] weight must be [out, in], got shape {}", op,
                 shape_str(w.shape()));
  FG_CHECK_SHAPE(x.size(-1) == w.size(1),
                 "[{}] x's last dim {} does not match weight in_features {} (x {}, weight {})", op,
                 x.size(-1), w.size(1), shape_str(x.shape()), shape_str(w.shape()));
  if (b.defined()) {
    check_f32(b, op, "bias");
    check_same_device(x, b, op);
    FG_CHECK_SHAPE(b.dim() == 1 && b.size(0) == w.size(0), "[{}] bias must be [{}], got shape {}",
                   op, w.size(0), shape_str(b.shape()));
  }
}

// pre[rows,out] = x w^T + b, then (act != Identity) out = act(pre), the bias and activation in
// one pass after the GEMM.
void linear_fwd(const Tensor& x, const Tensor& w, const Tensor& b, Activation act, Tensor& pre,
                Tensor& out) {
  int64_t in = w.size(1), outf = w.size(0), rows = x.numel() / in;
  if (pre.numel() == 0) return;
  kernels::Backend& k = be(x);
  if (in == 0)
    k.fill(mptr(pre), pre.numel(), 0.f);
  else
    k.gemm(false, true, rows, outf, in, 1.f, cptr(x), in, cptr(w), in, 0.f, mptr(pre), outf);
  float* o = act != Activation::Identity ? mptr(out) : nullptr;
  if (b.defined() || o) k.bias_act_forward(act, cptr(b), mptr(pre), o, rows, outf);
}

Shape linear_out_shape(const Tensor& x, const Tensor& w) {
  Shape s = x.shape();
  s.back() = w.size(0);
  return s;
}

}  // namespace

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  return linear_act(x, w, b, Activation::Identity);
}

Tensor linear_act(const Tensor& x, const Tensor& w, const Tensor& b, Activation act) {
  const char* op = act == Activation::Identity ? "linear" : "linear_act";
  check_linear(x, w, b, op);
  Tensor pre = Tensor::empty(linear_out_shape(x, w), DType::F32, x.device());
  Tensor out = act != Activation::Identity ? empty_like(pre) : pre;
  linear_fwd(x, w, b, act, pre, out);
  bool need_x = w.requires_grad(), need_w = x.requires_grad();
  Tensor sx = need_x ? x.detach() : Tensor(), sw = need_w ? w.detach() : Tensor();
  Tensor spre = act != Activation::Identity ? pre.detach() : Tensor();
  Shape xs = x.shape(), ws = w.shape();
  bool has_b = b.defined();
  autograd::record(
      out, op, {&x, &w, &b},
      [sx, sw, spre, act, has_b, xs, ws](const Tensor& g, const std::vector<bool>& need) {
        Tensor gpre = g;
        if (act != Activation::Identity) {
          gpre = empty_like(g);
          be(g).activation_backward(act, cptr(spre), cptr(g), mptr(gpre), g.numel());
        }
        // Shapes come from the saved metadata; a tensor is saved only if needed.
        Tensor xm = sx.defined() ? sx : Tensor::empty({0}, DType::F32, g.device());
        Tensor wm = sw.defined() ? sw : Tensor::empty({0}, DType::F32, g.device());
        int64_t in = ws[1], outf = ws[0], rows = g.numel() / outf;
        kernels::Backend& k = be(g);
        Tensor gx, gw, gb;
        if (need[0]) {
          gx = Tensor::empty(xs, DType::F32, g.device());
          if (rows * in > 0)
            k.gemm(false, false, rows, in, outf, 1.f, cptr(gpre), outf, cptr(wm), in, 0.f, mptr(gx),
                   in);
        }
        if (need[1]) {
          gw = rows > 0 ? Tensor::empty(ws, DType::F32, g.device())
                        : Tensor::zeros(ws, DType::F32, g.device());
          if (rows > 0)
            k.gemm(true, false, outf, in, rows, 1.f, cptr(gpre), outf, cptr(xm), in, 0.f, mptr(gw),
                   in);
        }
        if (has_b && need[2]) {
          gb = Tensor::empty({outf}, DType::F32, g.device());
          k.col_sum(cptr(gpre), mptr(gb), rows, outf, false);
        }
        return std::vector<Tensor>{gx, gw, gb};
      });
  return out;
}

namespace {

// batch GEMMs of [M,K]x[K,N]; an unbatched (2-d) b folds a's leading dims into M.
struct MatmulDims {
  int64_t batch = 1, M = 0, N = 0, K = 0;
  bool batched = false;
};

MatmulDims matmul_dims(const Tensor& a, const Tensor& b) {
  check_f32(a, "matmul", "a");
  check_f32(b, "matmul", "b");
  check_same_device(a, b, "matmul");
  check_min_dim(a, 2, "matmul", "a");
  check_min_dim(b, 2, "matmul", "b");
  MatmulDims d;
  d.M = a.size(-2);
  d.K = a.size(-1);
  d.N = b.size(-1);
  FG_CHECK_SHAPE(b.size(-2) == d.K, "[matmul] inner dims differ: a {} and b {}",
                 shape_str(a.shape()), shape_str(b.shape()));
  d.batched = b.dim() > 2;
  Shape lead(a.shape().begin(), a.shape().end() - 2);
  if (d.batched) {
    Shape lb(b.shape().begin(), b.shape().end() - 2);
    FG_CHECK_SHAPE(lead == lb, "[matmul] batch dims differ: a {} and b {}", shape_str(a.shape()),
                   shape_str(b.shape()));
    d.batch = shape_numel(lead);
  } else {
    d.M *= shape_numel(lead);
  }
  return d;
}

// ga = g b^T and gb = a^T g per batch; every GEMM writes (beta = 0) its whole block.
std::vector<Tensor> matmul_backward(const MatmulDims& d, const Tensor& sa, const Tensor& sb,
                                    const Shape& as, const Shape& bs, const Tensor& g,
                                    const std::vector<bool>& need) {
  bool full = g.numel() > 0 && d.K > 0;  // else no GEMM runs and the grads are zeros
  auto grad_buf = [&](const Shape& s) {
    return full ? Tensor::empty(s, DType::F32, g.device())
                : Tensor::zeros(s, DType::F32, g.device());
  };
  Tensor ga = need[0] ? grad_buf(as) : Tensor(), gb = need[1] ? grad_buf(bs) : Tensor();
  kernels::Backend& k = be(g);
  for (int64_t i = 0; i < d.batch && full; ++i) {
    const float* gi = cptr(g) + i * d.M * d.N;
    int64_t boff = d.batched ? i * d.K * d.N : 0;
    if (need[0])
      k.gemm(false, true, d.M, d.K, d.N, 1.f, gi, d.N, cptr(sb) + boff, d.N, 0.f,
             mptr(ga) + i * d.M * d.K, d.K);
    if (need[1])
      k.gemm(true, false, d.K, d.N, d.M, 1.f, cptr(sa) + i * d.M * d.K, d.K, gi, d.N, 0.f,
             mptr(gb) + boff, d.N);
  }
  return {ga, gb};
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  MatmulDims d = matmul_dims(a, b);
  Shape s = a.shape();
  s.back() = d.N;
  Tensor out = Tensor::empty(s, DType::F32, a.device());
  kernels::Backend& k = be(a);
  if (out.numel() > 0 && d.K == 0) k.fill(mptr(out), out.numel(), 0.f);
  for (int64_t i = 0; i < d.batch && out.numel() > 0 && d.K > 0; ++i)
    k.gemm(false, false, d.M, d.N, d.K, 1.f, cptr(a) + i * d.M * d.K, d.K,
           cptr(b) + (d.batched ? i * d.K * d.N : 0), d.N, 0.f, mptr(out) + i * d.M * d.N, d.N);
  Tensor sa = b.requires_grad() ? a.detach() : Tensor();
  Tensor sb = a.requires_grad() ? b.detach() : Tensor();
  Shape as = a.shape(), bs = b.shape();
  autograd::record(out, "matmul", {&a, &b},
                   [d, sa, sb, as, bs](const Tensor& g, const std::vector<bool>& need) {
                     return matmul_backward(d, sa, sb, as, bs, g, need);
                   });
  return out;
}

}  // namespace fg::ops
