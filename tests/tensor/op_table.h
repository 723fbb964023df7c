#pragma once
// The op-case table: one row per op (or op variant). The table test drives every row through
// (1) the CPU kernel (via the Tensor API) against the templated reference kernel at double,
// (2) finite-difference gradients of the reference forward at double against the reference
//     backward, and the autograd gradients of the op against the reference backward,
// (3) bad-argument calls that must throw fg::ShapeError "[op] ..." with a given substring.
// The dtype axis: a row runs at f32 and at each dtype in its `dtypes` list (op_table_runs()), its
// floating inputs rounded to that dtype, with that dtype's tolerance (docs/engine.md).
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace fg::test {

using Vec = std::vector<double>;

struct InputSpec {
  enum class Kind { Normal, Positive, Ids } kind = Kind::Normal;
  Shape shape;
  int64_t id_max = 0;        // Ids: values in [0, id_max)
  bool with_ignore = false;  // Ids: every third value is -100
  bool stays_f32 = false;    // not converted on the dtype axis (e.g. a bias, which is f32 always)
};

// Tolerances per dtype (relative+absolute, gradients get twice this), stated in docs/engine.md.
// bf16 keeps 8 significant bits (half an ulp is 2^-9 relative), f16 11 (2^-12).
constexpr double kBf16Tol = 1e-2;      // GEMMs on bf16 operands: the output gradient is rounded
constexpr double kBf16CastTol = 4e-3;  // one rounding of f32 to bf16
constexpr double kF16CastTol = 1e-3;   // one rounding of f32 to f16
// causal_attention under autocast: q and k rounded to bf16 inside the op move each score by up
// to ~2^-8 of its size, P moves by that relative, and P is rounded once more for PV.
constexpr double kBf16AttentionTol = 2e-2;

struct DTypeTolerance {
  DType dtype;
  double tol;
};

struct ErrorCase {
  std::string what;
  std::function<void()> call;
  std::string message;  // expected substring
};

struct OpCase {
  std::string name;  // row name (gtest-safe)
  std::string op;    // expected "[op]" prefix of error messages
  std::vector<InputSpec> inputs;
  std::function<Tensor(const std::vector<Tensor>&)> run;  // the op through the Tensor API
  std::function<Vec(const std::vector<Vec>&)> ref_forward;
  // One gradient per input (empty for non-differentiable inputs); null: op has no gradient.
  std::function<std::vector<Vec>(const std::vector<Vec>&, const Vec&)> ref_backward;
  std::vector<ErrorCase> errors;
  double tol = 1e-4;  // relative+absolute tolerance of f32 results against the double reference
  std::vector<DTypeTolerance> dtypes;  // further dtypes this row runs at (backend supports())
  DType dtype = DType::F32;            // the dtype of this run (set by op_table_runs())
};

std::vector<OpCase> op_table();
// Every row at f32 plus one copy per listed dtype, named <row>_<dtype> with that dtype's tol.
std::vector<OpCase> op_table_runs();
// gtest prints a row by its name instead of a byte dump.
inline void PrintTo(const OpCase& c, std::ostream* os) {
  *os << c.name;
}

// Row builders split by family (op_table_*.cpp).
void add_elementwise_rows(std::vector<OpCase>& t);
void add_shape_rows(std::vector<OpCase>& t);
void add_nn_rows(std::vector<OpCase>& t);
void add_attention_rows(std::vector<OpCase>& t);
void add_dtype_rows(std::vector<OpCase>& t);

}  // namespace fg::test
