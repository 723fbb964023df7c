// LayerNorm and RMSNorm over the last dim, saving per-row mean/rstd for the fused backward.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

void check_norm_param(const Tensor& p, const Tensor& x, const char* op, const char* name) {
  if (!p.defined()) return;
  check_f32(p, op, name);
  check_same_device(x, p, op);
  FG_CHECK_SHAPE(p.dim() == 1 && p.size(0) == x.size(-1),
                 "[{}] {} must have shape [{}] to match x {}, got {}", op, name, x.size(-1),
                 shape_str(x.shape()), shape_str(p.shape()));
}

}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  check_f32(x, "layer_norm", "x");
  check_min_dim(x, 1, "layer_norm", "x");
  check_norm_param(w, x, "layer_norm", "weight");
  check_norm_param(b, x, "layer_norm", "bias");
  FG_CHECK_SHAPE(eps >= 0.f, "[layer_norm] eps must be >= 0, got {}", eps);
  int64_t D = x.size(-1), rows = rows_of(x);
  Tensor y = empty_like(x);
  Tensor mean = Tensor::empty({rows}, DType::F32, x.device());
  Tensor rstd = Tensor::empty({rows}, DType::F32, x.device());
  if (x.numel() > 0)
    be(x).layer_norm_forward(cptr(x), cptr(w), cptr(b), mptr(y), mptr(mean), mptr(rstd), rows, D,
                             eps);
  Tensor sx = x.detach(), sw = w.defined() ? w.detach() : Tensor();
  autograd::record(y, "layer_norm", {&x, &w, &b},
                   [sx, sw, mean, rstd, rows, D](const Tensor& g, const std::vector<bool>& need) {
                     Tensor gx = empty_like(g);
                     Tensor gw = need[1] ? Tensor::zeros({D}, DType::F32, g.device()) : Tensor();
                     Tensor gb = need[2] ? Tensor::zeros({D}, DType::F32, g.device()) : Tensor();
                     if (g.numel() > 0)
                       be(g).layer_norm_backward(cptr(sx), cptr(sw), cptr(mean), cptr(rstd),
                                                 cptr(g), mptr(gx), mptr(gw), mptr(gb), rows, D);
                     return std::vector<Tensor>{need[0] ? gx : Tensor(), gw, gb};
                   });
  return y;
}

Tensor rms_norm(const Tensor& x, const Tensor& w, float eps) {
  check_f32(x, "rms_norm", "x");
  check_min_dim(x, 1, "rms_norm", "x");
  check_norm_param(w, x, "rms_norm", "weight");
  FG_CHECK_SHAPE(eps >= 0.f, "[rms_norm] eps must be >= 0, got {}", eps);
  int64_t D = x.size(-1), rows = rows_of(x);
  Tensor y = empty_like(x);
  Tensor rstd = Tensor::empty({rows}, DType::F32, x.device());
  if (x.numel() > 0) be(x).rms_norm_forward(cptr(x), cptr(w), mptr(y), mptr(rstd), rows, D, eps);
  Tensor sx = x.detach(), sw = w.defined() ? w.detach() : Tensor();
  autograd::record(y, "rms_norm", {&x, &w},
                   [sx, sw, rstd, rows, D](const Tensor& g, const std::vector<bool>& need) {
                     Tensor gx = empty_like(g);
                     Tensor gw = need[1] ? Tensor::zeros({D}, DType::F32, g.device()) : Tensor();
                     if (g.numel() > 0)
                       be(g).rms_norm_backward(cptr(sx), cptr(sw), cptr(rstd), cptr(g), mptr(gx),
                                               mptr(gw), rows, D);
                     return std::vector<Tensor>{need[0] ? gx : Tensor(), gw};
                   });
  return y;
}

}  // namespace fg::ops
