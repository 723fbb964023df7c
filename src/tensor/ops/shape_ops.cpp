// reshape (a view), permute/transpose (materialised), slice and cat along any dim.
#include <numeric>

#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

// A tensor sharing t's storage with a new shape of the same numel; no autograd.
Tensor view(const Tensor& t, const Shape& s) {
  auto impl = std::make_shared<TensorImpl>(*t.impl());
  impl->shape = s;
  impl->requires_grad = false;
  impl->grad.reset();
  impl->grad_fn.reset();
  return Tensor(impl);
}

Shape infer_shape(const Tensor& a, Shape s) {
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == -1) {
      FG_CHECK_SHAPE(infer < 0, "[reshape] only one dim may be -1, got {}", shape_str(s));
      infer = static_cast<int64_t>(i);
    } else {
      FG_CHECK_SHAPE(s[i] >= 0, "[reshape] invalid extent {} in {}", s[i], shape_str(s));
      known *= s[i];
    }
  }
  if (infer >= 0) {
    FG_CHECK_SHAPE(known > 0 && a.numel() % known == 0,
                   "[reshape] cannot reshape {} ({} elements) into {}", shape_str(a.shape()),
                   a.numel(), shape_str(s));
    s[infer] = a.numel() / known;
  }
  FG_CHECK_SHAPE(shape_numel(s) == a.numel(), "[reshape] cannot reshape {} ({} elements) into {}",
                 shape_str(a.shape()), a.numel(), shape_str(s));
  return s;
}

}  // namespace

Tensor reshape(const Tensor& a, const Shape& s) {
  check_defined(a, "reshape", "a");
  Shape target = infer_shape(a, s);
  Tensor out = view(a, target);
  Shape orig = a.shape();
  autograd::record(out, "reshape", {&a}, [orig](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{view(g, orig)};
  });
  return out;
}

Tensor permute(const Tensor& a, const std::vector<int64_t>& dims) {
  check_f32(a, "permute", "a");
  int64_t nd = a.dim();
  FG_CHECK_SHAPE(static_cast<int64_t>(dims.size()) == nd,
                 "[permute] got {} dims for a tensor of shape {}", dims.size(),
                 shape_str(a.shape()));
  FG_CHECK_SHAPE(nd <= 8, "[permute] supports at most 8 dims, got {}", nd);
  std::vector<int64_t> perm(dims.size()), inv(dims.size(), -1);
  Shape out_shape(dims.size());
  for (int64_t i = 0; i < nd; ++i) {
    perm[i] = normalize_dim(dims[i], nd, "permute");
    FG_CHECK_SHAPE(inv[perm[i]] < 0, "[permute] dim {} appears twice in {}", perm[i],
                   shape_str(Shape(dims)));
    inv[perm[i]] = i;
    out_shape[i] = a.shape()[perm[i]];
  }
  Tensor out = Tensor::empty(out_shape, DType::F32, a.device());
  if (a.numel() > 0 && nd > 0) be(a).permute(cptr(a), mptr(out), nd, a.shape().data(), perm.data());
  if (nd == 0) out.copy_(a);
  autograd::record(out, "permute", {&a},
                   [inv, out_shape, nd](const Tensor& g, const std::vector<bool>&) {
                     Shape s;
                     for (int64_t i = 0; i < nd; ++i) s.push_back(out_shape[inv[i]]);
                     Tensor ga = Tensor::empty(s, DType::F32, g.device());
                     if (g.numel() > 0 && nd > 0)
                       be(g).permute(cptr(g), mptr(ga), nd, out_shape.data(), inv.data());
                     if (nd == 0) ga.copy_(g);
                     return std::vector<Tensor>{ga};
                   });
  return out;
}

Tensor transpose(const Tensor& a, int64_t d0, int64_t d1) {
  check_defined(a, "transpose", "a");
  int64_t nd = a.dim();
  d0 = normalize_dim(d0, nd, "transpose");
  d1 = normalize_dim(d1, nd, "transpose");
  std::vector<int64_t> dims(nd);
  std::iota(dims.begin(), dims.end(), 0);
  std::swap(dims[d0], dims[d1]);
  return permute(a, dims);
}

namespace {

// Copies along `dim`: rows of `outer` blocks, each `inner` elements per unit of that dim.
struct DimSplit {
  int64_t outer = 1, inner = 1;
};
DimSplit split_at(const Shape& s, int64_t dim) {
  DimSplit d;
  for (int64_t i = 0; i < dim; ++i) d.outer *= s[i];
  for (size_t i = dim + 1; i < s.size(); ++i) d.inner *= s[i];
  return d;
}

}  // namespace

Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end) {
  check_defined(a, "slice", "a");
  check_min_dim(a, 1, "slice", "a");
  dim = normalize_dim(dim, a.dim(), "slice");
  int64_t len = a.shape()[dim];
  FG_CHECK_SHAPE(0 <= start && start <= end && end <= len,
                 "[slice] range [{}, {}) is invalid for dim {} of size {}", start, end, dim, len);
  Shape s = a.shape();
  s[dim] = end - start;
  Tensor out = Tensor::empty(s, a.dtype(), a.device());
  DimSplit d = split_at(a.shape(), dim);
  int64_t esz = dtype_size(a.dtype());
  if (out.numel() > 0)
    be(a).strided_copy(static_cast<char*>(a.raw_data()) + start * d.inner * esz, out.raw_data(),
                       d.outer, (end - start) * d.inner, len * d.inner, (end - start) * d.inner,
                       esz);
  Shape orig = a.shape();
  autograd::record(out, "slice", {&a},
                   [orig, d, dim, start, end, len](const Tensor& g, const std::vector<bool>&) {
                     Tensor ga = Tensor::zeros(orig, DType::F32, g.device());
                     if (g.numel() > 0)
                       be(g).strided_copy(g.raw_data(), ga.data<float>() + start * d.inner, d.outer,
                                          (end - start) * d.inner, (end - start) * d.inner,
                                          len * d.inner, 4);
                     return std::vector<Tensor>{ga};
                   });
  return out;
}

Tensor cat(const std::vector<Tensor>& xs, int64_t dim) {
  FG_CHECK_SHAPE(!xs.empty(), "[cat] needs at least one tensor");
  check_defined(xs[0], "cat", "xs[0]");
  check_min_dim(xs[0], 1, "cat", "xs[0]");
  dim = normalize_dim(dim, xs[0].dim(), "cat");
  Shape s = xs[0].shape();
  int64_t total = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    check_defined(xs[i], "cat", "an input");
    Shape si = xs[i].shape();
    FG_CHECK_SHAPE(si.size() == s.size() && xs[i].dtype() == xs[0].dtype(),
                   "[cat] input {} has shape {} {}, expected {} dims of {}", i, shape_str(si),
                   dtype_name(xs[i].dtype()), s.size(), dtype_name(xs[0].dtype()));
    total += si[dim];
    si[dim] = s[dim];
    FG_CHECK_SHAPE(si == s, "[cat] input {} has shape {}, which differs from {} outside dim {}", i,
                   shape_str(xs[i].shape()), shape_str(xs[0].shape()), dim);
  }
  s[dim] = total;
  Tensor out = Tensor::empty(s, xs[0].dtype(), xs[0].device());
  DimSplit d = split_at(s, dim);
  int64_t esz = dtype_size(out.dtype()), off = 0;
  std::vector<int64_t> offsets, lens;
  std::vector<const Tensor*> inputs;
  for (const Tensor& x : xs) {
    int64_t l = x.shape()[dim];
    if (x.numel() > 0)
      be(x).strided_copy(x.raw_data(), static_cast<char*>(out.raw_data()) + off * d.inner * esz,
                         d.outer, l * d.inner, l * d.inner, total * d.inner, esz);
    offsets.push_back(off);
    lens.push_back(l);
    inputs.push_back(&x);
    off += l;
  }
  autograd::record(
      out, "cat", inputs,
      [offsets, lens, d, total, s, dim](const Tensor& g, const std::vector<bool>& need) {
        std::vector<Tensor> grads(lens.size());
        for (size_t i = 0; i < lens.size(); ++i) {
          if (!need[i]) continue;
          Shape si = s;
          si[dim] = lens[i];
          grads[i] = Tensor::empty(si, DType::F32, g.device());
          if (grads[i].numel() > 0)
            be(g).strided_copy(cptr(g) + offsets[i] * d.inner, grads[i].raw_data(), d.outer,
                               lens[i] * d.inner, total * d.inner, lens[i] * d.inner, 4);
        }
        return grads;
      });
  return out;
}

}  // namespace fg::ops
