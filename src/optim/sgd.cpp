#include "optim/sgd.h"

#include <fmt/format.h>

#include "core/check.h"
#include "core/error.h"
#include "kernels/backend.h"
#include "optim/state_util.h"

namespace fg::optim {

void SGDOptions::validate() const {
  FG_CHECK(lr >= 0, "[SGD] lr must be >= 0, got {}", lr);
  FG_CHECK(momentum >= 0, "[SGD] momentum must be >= 0, got {}", momentum);
  FG_CHECK(weight_decay >= 0, "[SGD] weight_decay must be >= 0, got {}", weight_decay);
  FG_CHECK(!nesterov || (momentum > 0 && dampening == 0),
           "[SGD] nesterov needs momentum > 0 and dampening == 0, got momentum {} dampening {}",
           momentum, dampening);
}

SGD::SGD(std::vector<NamedParameter> params, const SGDOptions& options)
    : Optimizer(std::move(params), options.lr), options_(options) {
  options_.validate();
  momentum_.resize(params_.size());
}

void SGD::step() {
  for (size_t i = 0; i < params_.size(); ++i) {
    auto& [name, param] = params_[i];
    Tensor grad = param.grad();
    if (!grad.defined()) continue;
    check_grad(name, param, grad, "SGD");
    kernels::SGDScalars s{static_cast<float>(lr_), static_cast<float>(options_.momentum),
                          static_cast<float>(1.0 - options_.dampening),
                          static_cast<float>(options_.weight_decay)};
    float* buf = nullptr;
    bool first = false;
    if (options_.momentum != 0.0) {
      first = !momentum_[i].defined();
      if (first) momentum_[i] = Tensor::empty(param.shape(), DType::F32, param.device());
      buf = momentum_[i].data<float>();
    }
    backend_for(param.device())
        .sgd_update(param.data<float>(), grad.data<float>(), buf, param.numel(), s,
                    options_.weight_decay != 0.0, first, options_.nesterov);
  }
}

std::string SGD::repr() const {
  return fmt::format("SGD(lr={}, momentum={}, dampening={}, weight_decay={}, nesterov={})", lr_,
                     options_.momentum, options_.dampening, options_.weight_decay,
                     options_.nesterov);
}

OptimizerState SGD::state() const {
  OptimizerState out;
  out.kind = kind();
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!momentum_[i].defined()) continue;
    out.buffers.push_back({params_[i].first + ".momentum_buffer", params_[i].second.shape(),
                           momentum_[i].to_vector()});
  }
  return out;
}

void SGD::load_state(const OptimizerState& state) {
  StateReader reader(state, "SGD");
  std::vector<Tensor> momentum(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    std::string name = params_[i].first + ".momentum_buffer";
    const Tensor& param = params_[i].second;
    if (reader.has_buffer(name))
      momentum[i] =
          Tensor::from_vector(reader.buffer(name, param.shape()), param.shape(), param.device());
  }
  reader.check_all_used();
  momentum_ = std::move(momentum);
}

}  // namespace fg::optim
