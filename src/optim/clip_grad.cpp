#include "optim/clip_grad.h"

#include <cmath>

namespace fg::optim {
namespace {

// sum of squares of x [n], in double.
double sum_squares(const float* x, int64_t n) {
  double acc = 0.0;
#pragma omp parallel for simd reduction(+ : acc) schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) acc += static_cast<double>(x[i]) * x[i];
  return acc;
}

}  // namespace

double grad_norm(const std::vector<NamedParameter>& params) {
  double total = 0.0;
  for (const auto& [name, p] : params) {
    Tensor g = p.grad();
    if (g.defined()) total += sum_squares(g.data<float>(), g.numel());
  }
  return std::sqrt(total);
}

double clip_grad_norm(const std::vector<NamedParameter>& params, double max_norm) {
  // torch: the norm of the stacked per-tensor f32 norms; each norm rounded to f32.
  double stacked = 0.0;
  for (const auto& [name, p] : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    float norm = static_cast<float>(std::sqrt(sum_squares(g.data<float>(), g.numel())));
    stacked += static_cast<double>(norm) * norm;
  }
  float total = static_cast<float>(std::sqrt(stacked));
  if (max_norm <= 0 || !std::isfinite(total)) return total;
  // f32, in torch's order: max_norm / t is evaluated as reciprocal(t) * max_norm.
  float coef = (1.0f / (total + 1e-6f)) * static_cast<float>(max_norm);
  if (coef >= 1.0f) return total;
  for (const auto& [name, p] : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    float* d = g.data<float>();
    int64_t n = g.numel();
#pragma omp parallel for simd schedule(static) if (n > 65536)
    for (int64_t i = 0; i < n; ++i) d[i] *= coef;
  }
  return total;
}

}  // namespace fg::optim
