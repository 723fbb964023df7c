#pragma once
// Helpers shared by the op implementations: argument checks with "[op]" messages and access to
// the backend of a tensor's device.
#include <fmt/format.h>

#include "autograd/node.h"
#include "core/check.h"
#include "kernels/backend.h"
#include "tensor/deferred_id_checks.h"
#include "tensor/tensor.h"

namespace fg::ops::detail {

inline kernels::Backend& be(const Tensor& t) {
  return backend_for(t.device());
}

inline void check_defined(const Tensor& t, const char* op, const char* name) {
  FG_CHECK_SHAPE(t.defined(), "[{}] {} is an undefined tensor", op, name);
}

inline void check_f32(const Tensor& t, const char* op, const char* name) {
  check_defined(t, op, name);
  FG_CHECK_SHAPE(t.dtype() == DType::F32, "[{}] {} must be f32, got {}", op, name,
                 dtype_name(t.dtype()));
}

// Refuses a dtype the backend's kernels of family k do not take, naming op, argument and dtype.
inline void check_supported(const Tensor& t, kernels::Kernel k, const char* op, const char* name) {
  check_defined(t, op, name);
  FG_CHECK_SHAPE(be(t).supports(k, t.dtype()),
                 "[{}] {} is {}, which the {} backend's {} kernels do not take", op, name,
                 dtype_name(t.dtype()), t.device().to_string(), kernels::kernel_name(k));
}

// A new tensor holding t's values converted to dtype to (no autograd; ops::to_dtype records one).
Tensor convert_detached(const Tensor& t, DType to);

inline void check_i64(const Tensor& t, const char* op, const char* name) {
  check_defined(t, op, name);
  FG_CHECK_SHAPE(t.dtype() == DType::I64, "[{}] {} must be i64, got {}", op, name,
                 dtype_name(t.dtype()));
}

// Index tensors may be i32 or i64; kernels take i64, so i32 is widened into a temporary.
inline Tensor ids_as_i64(const Tensor& t, const char* op, const char* name) {
  check_defined(t, op, name);
  FG_CHECK_SHAPE(t.dtype() == DType::I64 || t.dtype() == DType::I32,
                 "[{}] {} must be i64 or i32, got {}", op, name, dtype_name(t.dtype()));
  if (t.dtype() == DType::I64) return t;
  Tensor out = Tensor::empty(t.shape(), DType::I64, t.device());
  be(t).widen_i32(t.data<int32_t>(), out.data<int64_t>(), t.numel());
  return out;
}

// The first id outside [lo, hi) that is not `allowed`, or -1 when all are fine. The check runs
// on the device; the host reads back two numbers (one synchronisation) and, only when an id is
// bad, that id itself. While a graph is recorded (tensor/deferred_id_checks.h) the check is
// recorded for the recording's owner to verify after each launch, and this returns "fine".
struct BadId {
  int64_t position = -1;
  int64_t value = 0;
};
inline BadId find_bad_id(const Tensor& ids, int64_t lo, int64_t hi, int64_t allowed,
                         const char* what) {
  Tensor result = Tensor::empty({2}, DType::I64, ids.device());
  be(ids).count_invalid_ids(ids.data<int64_t>(), ids.numel(), lo, hi, allowed,
                            result.data<int64_t>());
  if (DeferredIdChecks* deferred = DeferredIdChecks::recording()) {
    deferred->add(result, ids, what, lo, hi, allowed);
    return {};
  }
  const std::vector<int64_t> r = result.to_vector_i64();
  if (r[0] == 0) return {};
  int64_t value = 0;
  be(ids).copy_to_host(ids.data<int64_t>() + r[1], &value, sizeof value);
  return {r[1], value};
}

inline void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
  FG_CHECK_SHAPE(a.device() == b.device(), "[{}] tensors are on different devices: {} and {}", op,
                 a.device().to_string(), b.device().to_string());
}

inline void check_min_dim(const Tensor& t, int64_t d, const char* op, const char* name) {
  FG_CHECK_SHAPE(t.dim() >= d, "[{}] {} needs at least {} dims, got shape {}", op, name, d,
                 shape_str(t.shape()));
}

inline Tensor empty_like(const Tensor& t) {
  return Tensor::empty(t.shape(), t.dtype(), t.device());
}

inline const float* cptr(const Tensor& t) {
  return t.defined() ? t.data<float>() : nullptr;
}
inline float* mptr(Tensor& t) {
  return t.defined() ? t.data<float>() : nullptr;
}

// Number of rows when the last dim is the feature dim.
inline int64_t rows_of(const Tensor& t) {
  return t.dim() == 0 ? 1 : t.numel() / t.size(-1);
}

}  // namespace fg::ops::detail
