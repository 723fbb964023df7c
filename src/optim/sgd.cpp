#include "optim/sgd.h"

#include <cmath>

#include <fmt/format.h>

#include "core/check.h"
#include "core/error.h"
#include "optim/state_util.h"

namespace fg::optim {
namespace {

struct SGDScalars {
  float lr, momentum, one_minus_dampening, weight_decay;
};

// p [n] updated (=), buf [n] updated (=) when kMomentum, g [n] read. The flags are template
// parameters so each variant's loop is branch-free and vectorises.
template <bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
void sgd_update(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s) {
#pragma omp parallel for simd schedule(static) if (n > (1 << 17))
  for (int64_t i = 0; i < n; ++i) {
    float d = kDecay ? std::fma(s.weight_decay, p[i], g[i]) : g[i];
    if constexpr (kMomentum) {
      float b = kFirst ? d : std::fma(s.one_minus_dampening, d, buf[i] * s.momentum);
      buf[i] = b;
      d = kNesterov ? std::fma(s.momentum, b, d) : b;
    }
    p[i] = std::fma(-s.lr, d, p[i]);
  }
}

template <bool kDecay>
void sgd_dispatch(float* p, const float* g, float* buf, int64_t n, const SGDScalars& s, bool first,
                  bool nesterov) {
  if (buf == nullptr) return sgd_update<kDecay, false, false, false>(p, g, buf, n, s);
  if (first) {
    if (nesterov) return sgd_update<kDecay, true, true, true>(p, g, buf, n, s);
    return sgd_update<kDecay, true, true, false>(p, g, buf, n, s);
  }
  if (nesterov) return sgd_update<kDecay, true, false, true>(p, g, buf, n, s);
  sgd_update<kDecay, true, false, false>(p, g, buf, n, s);
}

}  // namespace

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
    int64_t n = param.numel();
    SGDScalars s{static_cast<float>(lr_), static_cast<float>(options_.momentum),
                 static_cast<float>(1.0 - options_.dampening),
                 static_cast<float>(options_.weight_decay)};
    float* buf = nullptr;
    bool first = false;
    if (options_.momentum != 0.0) {
      first = momentum_[i].empty();
      if (first) momentum_[i].resize(static_cast<size_t>(n));
      buf = momentum_[i].data();
    }
    // torch's add(x, alpha) is a fused multiply-add on the CPU; the fma calls reproduce its bits.
    if (options_.weight_decay != 0.0) {
      sgd_dispatch<true>(param.data<float>(), grad.data<float>(), buf, n, s, first,
                         options_.nesterov);
    } else {
      sgd_dispatch<false>(param.data<float>(), grad.data<float>(), buf, n, s, first,
                          options_.nesterov);
    }
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
    if (momentum_[i].empty()) continue;
    out.buffers.push_back(
        {params_[i].first + ".momentum_buffer", params_[i].second.shape(), momentum_[i]});
  }
  return out;
}

void SGD::load_state(const OptimizerState& state) {
  StateReader reader(state, "SGD");
  std::vector<std::vector<float>> momentum(params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    std::string name = params_[i].first + ".momentum_buffer";
    if (reader.has_buffer(name)) momentum[i] = reader.buffer(name, params_[i].second.shape());
  }
  reader.check_all_used();
  momentum_ = std::move(momentum);
}

}  // namespace fg::optim
