#include "tensor/autocast.h"

#include <atomic>
#include <map>
#include <memory>

#include "tensor/ops/op_util.h"

namespace fg {

namespace {

struct CachedWeight {
  std::weak_ptr<Storage> storage;  // the f32 weight's storage (expired: the weight is gone)
  int64_t offset = 0;
  int64_t version = 0;
  Tensor bf16;
};

struct CachedInput {
  std::weak_ptr<TensorImpl> source;  // the f32 tensor (a new one at the same address differs)
  int64_t version = 0;
  std::weak_ptr<TensorImpl> bf16;
};

struct AutocastState {
  bool enabled = false;
  std::map<const TensorImpl*, CachedWeight> weights;
  std::map<const TensorImpl*, CachedInput> inputs;
};

thread_local AutocastState state;
std::atomic<int64_t> conversions{0}, input_conversions{0};

}  // namespace

AutocastGuard::AutocastGuard(bool enabled) : prev_(state.enabled), outermost_(!state.enabled) {
  if (!enabled) {
    outermost_ = false;
    return;
  }
  state.enabled = true;
}

AutocastGuard::~AutocastGuard() {
  state.enabled = prev_;
  if (outermost_) {  // the weights change before the next step's guard
    state.weights.clear();
    state.inputs.clear();
  }
}

bool autocast_enabled() {
  return state.enabled;
}

Tensor autocast_bf16_weight(const Tensor& w) {
  CachedWeight& c = state.weights[w.impl().get()];
  const std::shared_ptr<Storage>& s = w.impl()->storage;
  const bool fresh = c.bf16.defined() && c.storage.lock() == s && c.offset == w.impl()->offset &&
                     c.version == s->version && c.bf16.shape() == w.shape();
  if (!fresh) {
    c = CachedWeight{s, w.impl()->offset, s->version,
                     ops::detail::convert_detached(w, DType::BF16)};
    ++conversions;
  }
  return c.bf16;
}

Tensor autocast_bf16_input(const Tensor& x) {
  CachedInput& c = state.inputs[x.impl().get()];
  if (c.source.lock() == x.impl() && c.version == x.impl()->storage->version)
    if (std::shared_ptr<TensorImpl> copy = c.bf16.lock()) return Tensor(copy);
  Tensor copy = ops::detail::convert_detached(x, DType::BF16);
  c = CachedInput{x.impl(), x.impl()->storage->version, copy.impl()};
  ++input_conversions;
  return copy;
}

int64_t autocast_input_conversions() {
  return input_conversions;
}

int64_t autocast_weight_conversions() {
  return conversions;
}

}  // namespace fg
