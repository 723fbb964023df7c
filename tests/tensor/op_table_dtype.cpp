// Op-table rows: conversions between the floating dtypes (Tensor::to / ops::to_dtype).
#include "core/check.h"
#include "op_table.h"
#include "tensor/ops.h"

namespace fg::test {

namespace {

using In = InputSpec;
using K = InputSpec::Kind;

// x.to(target): the reference is the identity; the tolerance is the rounding to the target.
OpCase to_row(const std::string& name, DType target, double tol) {
  OpCase c;
  c.name = name;
  c.op = "to";
  c.inputs = {In{K::Normal, {3, 7}}};
  c.run = [=](const std::vector<Tensor>& x) {
    Tensor y = x[0].to(target);
    FG_CHECK(y.dtype() == target, "[to] returned {} instead of {}", dtype_name(y.dtype()),
             dtype_name(target));
    return y;
  };
  c.ref_forward = [](const std::vector<Vec>& x) { return x[0]; };
  c.ref_backward = [](const std::vector<Vec>&, const Vec& g) { return std::vector<Vec>{g}; };
  c.tol = tol;
  c.errors = {
      {"integer input",
       [=] {
         Tensor::from_vector_i64({1, 2}, {2}).to(target);
       },
       "x is i64, which the cpu backend's convert kernels do not take"},
      {"integer target", [] { Tensor::zeros({2}).to(DType::I32); }, "cannot convert to i32"},
      {"undefined input", [=] { Tensor().to(target); }, "x is an undefined tensor"}};
  return c;
}

}  // namespace

void add_dtype_rows(std::vector<OpCase>& t) {
  t.push_back(to_row("to_bf16", DType::BF16, kBf16CastTol));
  t.push_back(to_row("to_f16", DType::F16, kF16CastTol));
  // Widening is exact: inputs rounded to bf16 (f16) come back unchanged, and the f32 gradient is
  // rounded once on its way back to the bf16 (f16) input.
  OpCase widen = to_row("to_f32", DType::F32, 1e-6);
  widen.dtypes = {{DType::BF16, kBf16CastTol}, {DType::F16, kF16CastTol}};
  t.push_back(widen);
}

}  // namespace fg::test
