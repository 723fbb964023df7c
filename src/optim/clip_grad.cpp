#include "optim/clip_grad.h"

#include <cmath>

#include "core/check.h"
#include "kernels/backend.h"

namespace fg::optim {
namespace {

// The f32 L2 norm of each defined gradient, computed on the gradients' device into one small
// tensor and read back once (one synchronisation per call).
std::vector<float> per_tensor_norms(const std::vector<NamedParameter>& params) {
  std::vector<Tensor> grads;
  for (const auto& [name, p] : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    FG_CHECK(grads.empty() || g.device() == grads.front().device(),
             "[clip_grad_norm] gradients are on different devices: {} and {} ('{}')",
             grads.front().device().to_string(), g.device().to_string(), name);
    grads.push_back(g);
  }
  if (grads.empty()) return {};
  const Device device = grads.front().device();
  kernels::Backend& backend = backend_for(device);
  Tensor norms = Tensor::empty({static_cast<int64_t>(grads.size())}, DType::F32, device);
  for (size_t i = 0; i < grads.size(); ++i)
    backend.l2_norm(grads[i].data<float>(), grads[i].numel(), norms.data<float>() + i);
  return norms.to_vector();
}

}  // namespace

double grad_norm(const std::vector<NamedParameter>& params) {
  double total = 0.0;
  for (float norm : per_tensor_norms(params)) total += static_cast<double>(norm) * norm;
  return std::sqrt(total);
}

double clip_grad_norm(const std::vector<NamedParameter>& params, double max_norm) {
  // torch: the norm of the stacked per-tensor f32 norms; each norm rounded to f32.
  double stacked = 0.0;
  for (float norm : per_tensor_norms(params)) stacked += static_cast<double>(norm) * norm;
  float total = static_cast<float>(std::sqrt(stacked));
  if (max_norm <= 0 || !std::isfinite(total)) return total;
  // f32, in torch's order: max_norm / t is evaluated as reciprocal(t) * max_norm.
  float coef = (1.0f / (total + 1e-6f)) * static_cast<float>(max_norm);
  if (coef >= 1.0f) return total;
  for (const auto& [name, p] : params) {
    Tensor g = p.grad();
    if (g.defined()) backend_for(g.device()).scale(g.data<float>(), g.numel(), coef);
  }
  return total;
}

}  // namespace fg::optim
