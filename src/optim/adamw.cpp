#include "optim/adamw.h"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/check.h"
#include "core/error.h"
#include "kernels/backend.h"
#include "optim/state_util.h"

namespace fg::optim {

void AdamWOptions::validate() const {
  FG_CHECK(lr >= 0, "[AdamW] lr must be >= 0, got {}", lr);
  FG_CHECK(eps >= 0, "[AdamW] eps must be >= 0, got {}", eps);
  FG_CHECK(beta1 >= 0 && beta1 < 1, "[AdamW] beta1 must be in [0, 1), got {}", beta1);
  FG_CHECK(beta2 >= 0 && beta2 < 1, "[AdamW] beta2 must be in [0, 1), got {}", beta2);
  FG_CHECK(weight_decay >= 0, "[AdamW] weight_decay must be >= 0, got {}", weight_decay);
}

AdamW::AdamW(std::vector<NamedParameter> params, const AdamWOptions& options)
    : Optimizer(std::move(params), options.lr), options_(options) {
  options_.validate();
  slots_.resize(params_.size());
}

void AdamW::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& [name, param] = params_[i];
    Tensor grad = param.grad();
    if (!grad.defined()) continue;  // frozen or unused this step, as torch skips grad None
    check_grad(name, param, grad, "AdamW");
    Slot& slot = slots_[i];
    int64_t n = param.numel();
    if (slot.step == 0) {
      slot.exp_avg = Tensor::zeros(param.shape(), DType::F32, param.device());
      slot.exp_avg_sq = Tensor::zeros(param.shape(), DType::F32, param.device());
    }
    ++slot.step;
    // Scalars in double as torch's Python code computes them, then rounded to f32 by the op.
    double t = static_cast<double>(slot.step);
    double bias_correction1 = 1.0 - std::pow(options_.beta1, t);
    double bias_correction2 = 1.0 - std::pow(options_.beta2, t);
    kernels::AdamWScalars s{};
    s.decay = static_cast<float>(1.0 - lr_ * options_.weight_decay);
    s.beta1 = static_cast<float>(options_.beta1);
    s.one_minus_beta1 = static_cast<float>(1.0 - options_.beta1);
    s.beta2 = static_cast<float>(options_.beta2);
    s.one_minus_beta2 = static_cast<float>(1.0 - options_.beta2);
    s.bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    s.eps = static_cast<float>(options_.eps);
    s.neg_step_size = static_cast<float>(-(lr_ / bias_correction1));
    backend_for(param.device())
        .adamw_update(param.data<float>(), grad.data<float>(), slot.exp_avg.data<float>(),
                      slot.exp_avg_sq.data<float>(), n, s);
  }
}

std::string AdamW::repr() const {
  return fmt::format("AdamW(lr={}, betas=({}, {}), eps={}, weight_decay={})", lr_, options_.beta1,
                     options_.beta2, options_.eps, options_.weight_decay);
}

OptimizerState AdamW::state() const {
  OptimizerState out;
  out.kind = kind();
  for (size_t i = 0; i < params_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.step == 0) continue;
    const auto& [name, param] = params_[i];
    out.counters.emplace_back(name + ".step", slot.step);
    out.buffers.push_back({name + ".exp_avg", param.shape(), slot.exp_avg.to_vector()});
    out.buffers.push_back({name + ".exp_avg_sq", param.shape(), slot.exp_avg_sq.to_vector()});
  }
  return out;
}

void AdamW::load_state(const OptimizerState& state) {
  StateReader reader(state, "AdamW");
  std::vector<Slot> slots(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& [name, param] = params_[i];
    auto step = reader.counter(name + ".step");
    if (!step) continue;
    FG_CHECK(*step > 0, "[AdamW] state '{}.step' must be > 0, got {}", name, *step);
    slots[i].step = *step;
    slots[i].exp_avg = Tensor::from_vector(reader.buffer(name + ".exp_avg", param.shape()),
                                           param.shape(), param.device());
    slots[i].exp_avg_sq = Tensor::from_vector(reader.buffer(name + ".exp_avg_sq", param.shape()),
                                              param.shape(), param.device());
  }
  reader.check_all_used();
  slots_ = std::move(slots);
}

}  // namespace fg::optim
