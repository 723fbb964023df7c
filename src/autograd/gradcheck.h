#pragma once
// Finite-difference gradient checker for tests. It works in double precision on plain vectors,
// so callers run the templated reference kernels (src/kernels/ref) at T = double: the numeric
// gradient of L = sum(forward(x) * grad_out) by central differences is compared with the
// analytic gradient from the reference backward.
#include <functional>
#include <string>
#include <vector>

namespace fg::autograd {

using Vec = std::vector<double>;
using ForwardD = std::function<Vec(const std::vector<Vec>& inputs)>;
// Returns one gradient per input (empty for inputs without gradient).
using BackwardD = std::function<std::vector<Vec>(const std::vector<Vec>& inputs, const Vec& gy)>;

struct GradcheckResult {
  bool ok = true;
  double max_abs_error = 0;
  std::string message;  // first mismatch: input, index, numeric, analytic
};

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-5;
  std::vector<bool> check_input;  // empty: check every input that backward returns
};

GradcheckResult gradcheck(const ForwardD& forward, const BackwardD& backward,
                          const std::vector<Vec>& inputs, const Vec& grad_out,
                          const GradcheckOptions& opts = {});

}  // namespace fg::autograd
