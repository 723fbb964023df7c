// to_dtype: conversion between the floating dtypes, the one op every dtype supports.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

Tensor detail::convert_detached(const Tensor& x, DType t) {
  Tensor out = Tensor::empty(x.shape(), t, x.device());
  if (x.numel() > 0) be(x).convert(x.raw_data(), x.dtype(), out.raw_data(), t, x.numel());
  return out;
}

Tensor to_dtype(const Tensor& x, DType t) {
  check_defined(x, "to", "x");
  check_supported(x, kernels::Kernel::Convert, "to", "x");
  FG_CHECK_SHAPE(be(x).supports(kernels::Kernel::Convert, t),
                 "[to] the {} backend cannot convert to {} (floating dtypes: f32, bf16, f16)",
                 x.device().to_string(), dtype_name(t));
  if (x.dtype() == t) return x;
  Tensor out = convert_detached(x, t);
  const DType from = x.dtype();
  autograd::record(out, "to", {&x}, [from](const Tensor& g, const std::vector<bool>&) {
    return std::vector<Tensor>{convert_detached(g, from)};
  });
  return out;
}

}  // namespace fg::ops
