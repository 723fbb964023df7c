#include "tensor/shape.h"

#include "core/check.h"
#include "tensor/dtype.h"

namespace fg {

int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s)
    FG_CHECK_SHAPE(!__builtin_mul_overflow(n, d, &n),
                   "[Shape] {} has more elements than int64 can count (overflow)", shape_str(s));
  return n;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

int64_t normalize_dim(int64_t d, int64_t ndim, const char* op) {
  FG_CHECK_SHAPE(d >= -ndim && d < ndim, "[{}] dim {} is out of range for a tensor with {} dims",
                 op, d, ndim);
  return d < 0 ? d + ndim : d;
}

std::string dtype_name(DType t) {
  switch (t) {
    case DType::F32:
      return "f32";
    case DType::I32:
      return "i32";
    case DType::I64:
      return "i64";
    case DType::BF16:
      return "bf16";
    case DType::F16:
      return "f16";
  }
  return "?";
}

}  // namespace fg
