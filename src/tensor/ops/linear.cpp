// matmul and linear: the GEMM library does the work; bias and activation are fused after it,
// and linear's backward is two GEMMs plus a bias column sum. bf16 operands (or f32 ones under
// autocast, tensor/autocast.h) run bf16 GEMMs with f32 accumulation; outputs are f32.
#include "tensor/autocast.h"
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

// GEMM operands are both f32 or both bf16 (any other dtype is refused by name).
void check_gemm_dtypes(const Tensor& a, const Tensor& b, const char* op, const char* an,
                       const char* bn) {
  check_defined(a, op, an);
  check_defined(b, op, bn);
  check_supported(a, kernels::Kernel::Gemm, op, an);
  check_supported(b, kernels::Kernel::Gemm, op, bn);
  FG_CHECK_SHAPE(a.dtype() == b.dtype(), "[{}] {} and {} must have the same dtype, got {} and {}",
                 op, an, bn, dtype_name(a.dtype()), dtype_name(b.dtype()));
}

void check_linear(const Tensor& x, const Tensor& w, const Tensor& b, const char* op) {
  check_gemm_dtypes(x, w, op, "x", "weight");
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

// Whether this call's GEMMs run in bf16: bf16 operands, or f32 ones under autocast.
bool gemm_in_bf16(const Tensor& a) {
  return a.dtype() == DType::BF16 ||
         (autocast_enabled() && be(a).supports(kernels::Kernel::Gemm, DType::BF16));
}

// C[M,N] = op(A) op(B) (beta = 0) from A, B of one dtype (f32 or bf16), offsets in elements.
void run_gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const Tensor& A, int64_t a_off,
              int64_t lda, const Tensor& B, int64_t b_off, int64_t ldb, float* C, int64_t ldc) {
  kernels::Backend& k = be(A);
  if (A.dtype() == DType::BF16)
    k.gemm_bf16(ta, tb, M, N, K, 1.f, A.data<BFloat16>() + a_off, lda, B.data<BFloat16>() + b_off,
                ldb, 0.f, C, ldc);
  else
    k.gemm(ta, tb, M, N, K, 1.f, A.data<float>() + a_off, lda, B.data<float>() + b_off, ldb, 0.f, C,
           ldc);
}

// An operand as the GEMM takes it: bf16 when the call runs in bf16 (converted if given in f32).
Tensor gemm_operand(const Tensor& t, bool bf16) {
  return bf16 && t.dtype() != DType::BF16 ? convert_detached(t, DType::BF16) : t;
}

// A gradient computed in f32 for an input of dtype t.
Tensor grad_as(const Tensor& g, DType t) {
  return g.defined() && g.dtype() != t ? convert_detached(g, t) : g;
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
    run_gemm(false, true, rows, outf, in, x, 0, in, w, 0, in, mptr(pre), outf);
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
  const bool bf16 = gemm_in_bf16(x);
  // Under autocast the bf16 copies are what the GEMMs read and what backward keeps (half the
  // memory of the f32 inputs); a weight's copy is made once per autocast scope.
  const Tensor xg = bf16 && x.dtype() == DType::F32 ? autocast_bf16_input(x) : x;
  const Tensor wg = bf16 && w.dtype() == DType::F32 ? autocast_bf16_weight(w) : w;
  Tensor pre = Tensor::empty(linear_out_shape(x, w), DType::F32, x.device());
  Tensor out = act != Activation::Identity ? empty_like(pre) : pre;
  linear_fwd(xg, wg, b, act, pre, out);
  bool need_x = w.requires_grad(), need_w = x.requires_grad();
  // An operand the op was given is saved detached; a bf16 copy made here is saved itself, so the
  // autocast cache sees it alive and the other GEMMs reading the same x reuse it.
  auto saved = [](const Tensor& operand, const Tensor& given) {
    return operand.impl() == given.impl() ? operand.detach() : operand;
  };
  Tensor sx = need_x ? saved(xg, x) : Tensor(), sw = need_w ? saved(wg, w) : Tensor();
  Tensor spre = act != Activation::Identity ? pre.detach() : Tensor();
  Shape xs = x.shape(), ws = w.shape();
  const DType xt = x.dtype(), wt = w.dtype();
  bool has_b = b.defined();
  autograd::record(
      out, op, {&x, &w, &b},
      [sx, sw, spre, act, has_b, xs, ws, bf16, xt, wt](const Tensor& g,
                                                       const std::vector<bool>& need) {
        Tensor gpre = g;
        if (act != Activation::Identity) {
          gpre = empty_like(g);
          be(g).activation_backward(act, cptr(spre), cptr(g), mptr(gpre), g.numel());
        }
        // The output gradient enters the bf16 GEMMs rounded once; both GEMMs accumulate in f32.
        const Tensor gg = gemm_operand(gpre, bf16);
        int64_t in = ws[1], outf = ws[0], rows = g.numel() / outf;
        Tensor gx, gw, gb;
        if (need[0]) {
          gx = Tensor::empty(xs, DType::F32, g.device());
          if (rows * in > 0)
            run_gemm(false, false, rows, in, outf, gg, 0, outf, sw, 0, in, mptr(gx), in);
        }
        if (need[1]) {
          gw = rows > 0 ? Tensor::empty(ws, DType::F32, g.device())
                        : Tensor::zeros(ws, DType::F32, g.device());
          if (rows > 0) run_gemm(true, false, outf, in, rows, gg, 0, outf, sx, 0, in, mptr(gw), in);
        }
        if (has_b && need[2]) {
          gb = Tensor::empty({outf}, DType::F32, g.device());
          be(g).col_sum(cptr(gpre), mptr(gb), rows, outf, false);
        }
        return std::vector<Tensor>{grad_as(gx, xt), grad_as(gw, wt), gb};
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
  check_gemm_dtypes(a, b, "matmul", "a", "b");
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

// ga = g b^T and gb = a^T g per batch; every GEMM writes (beta = 0) its whole block. sa, sb are
// the operands as the forward GEMMs read them (bf16 when it ran in bf16).
std::vector<Tensor> matmul_backward(const MatmulDims& d, const Tensor& sa, const Tensor& sb,
                                    const Shape& as, const Shape& bs, DType at, DType bt, bool bf16,
                                    const Tensor& g, const std::vector<bool>& need) {
  bool full = g.numel() > 0 && d.K > 0;  // else no GEMM runs and the grads are zeros
  auto grad_buf = [&](const Shape& s) {
    return full ? Tensor::empty(s, DType::F32, g.device())
                : Tensor::zeros(s, DType::F32, g.device());
  };
  Tensor ga = need[0] ? grad_buf(as) : Tensor(), gb = need[1] ? grad_buf(bs) : Tensor();
  const Tensor gg = full ? gemm_operand(g, bf16) : g;
  for (int64_t i = 0; i < d.batch && full; ++i) {
    int64_t goff = i * d.M * d.N, boff = d.batched ? i * d.K * d.N : 0;
    if (need[0])
      run_gemm(false, true, d.M, d.K, d.N, gg, goff, d.N, sb, boff, d.N, mptr(ga) + i * d.M * d.K,
               d.K);
    if (need[1])
      run_gemm(true, false, d.K, d.N, d.M, sa, i * d.M * d.K, d.K, gg, goff, d.N, mptr(gb) + boff,
               d.N);
  }
  return {grad_as(ga, at), grad_as(gb, bt)};
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  MatmulDims d = matmul_dims(a, b);
  const bool bf16 = gemm_in_bf16(a);
  const Tensor ag = gemm_operand(a, bf16), bg = gemm_operand(b, bf16);
  Shape s = a.shape();
  s.back() = d.N;
  Tensor out = Tensor::empty(s, DType::F32, a.device());
  if (out.numel() > 0 && d.K == 0) be(a).fill(mptr(out), out.numel(), 0.f);
  for (int64_t i = 0; i < d.batch && out.numel() > 0 && d.K > 0; ++i)
    run_gemm(false, false, d.M, d.N, d.K, ag, i * d.M * d.K, d.K, bg, d.batched ? i * d.K * d.N : 0,
             d.N, mptr(out) + i * d.M * d.N, d.N);
  Tensor sa = b.requires_grad() ? ag.detach() : Tensor();
  Tensor sb = a.requires_grad() ? bg.detach() : Tensor();
  Shape as = a.shape(), bs = b.shape();
  const DType at = a.dtype(), bt = b.dtype();
  autograd::record(
      out, "matmul", {&a, &b},
      [d, sa, sb, as, bs, at, bt, bf16](const Tensor& g, const std::vector<bool>& need) {
        return matmul_backward(d, sa, sb, as, bs, at, bt, bf16, g, need);
      });
  return out;
}

}  // namespace fg::ops
