#pragma once
// The op-case table: one row per op (or op variant). The table test drives every row through
// (1) the CPU kernel (via the Tensor API) against the templated reference kernel at double,
// (2) finite-difference gradients of the reference forward at double against the reference
//     backward, and the autograd gradients of the op against the reference backward,
// (3) bad-argument calls that must throw fg::ShapeError "[op] ..." with a given substring.
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
};

std::vector<OpCase> op_table();
// gtest prints a row by its name instead of a byte dump.
inline void PrintTo(const OpCase& c, std::ostream* os) {
  *os << c.name;
}

// Row builders split by family (op_table_*.cpp).
void add_elementwise_rows(std::vector<OpCase>& t);
void add_shape_rows(std::vector<OpCase>& t);
void add_nn_rows(std::vector<OpCase>& t);
void add_attention_rows(std::vector<OpCase>& t);

}  // namespace fg::test
