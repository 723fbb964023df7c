#include "autograd/gradcheck.h"

#include <fmt/format.h>

#include <cmath>

namespace fg::autograd {

namespace {

double weighted_sum(const Vec& y, const Vec& g) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += y[i] * g[i];
  return s;
}

}  // namespace

GradcheckResult gradcheck(const ForwardD& forward, const BackwardD& backward,
                          const std::vector<Vec>& inputs, const Vec& grad_out,
                          const GradcheckOptions& opts) {
  GradcheckResult r;
  std::vector<Vec> analytic = backward(inputs, grad_out);
  std::vector<Vec> x = inputs;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (k >= analytic.size() || analytic[k].empty()) continue;
    if (k < opts.check_input.size() && !opts.check_input[k]) continue;
    if (analytic[k].size() != inputs[k].size()) {
      r.ok = false;
      r.message = fmt::format("input {}: analytic gradient has {} values, input has {}", k,
                              analytic[k].size(), inputs[k].size());
      return r;
    }
    for (size_t i = 0; i < inputs[k].size(); ++i) {
      double orig = x[k][i];
      x[k][i] = orig + opts.eps;
      double lp = weighted_sum(forward(x), grad_out);
      x[k][i] = orig - opts.eps;
      double lm = weighted_sum(forward(x), grad_out);
      x[k][i] = orig;
      double numeric = (lp - lm) / (2 * opts.eps);
      double err = std::abs(numeric - analytic[k][i]);
      r.max_abs_error = std::max(r.max_abs_error, err);
      if (err > opts.atol + opts.rtol * std::abs(numeric) && r.ok) {
        r.ok = false;
        r.message = fmt::format("input {} index {}: numeric {} vs analytic {}", k, i, numeric,
                                analytic[k][i]);
      }
    }
  }
  return r;
}

}  // namespace fg::autograd
