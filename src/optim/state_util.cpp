#include "optim/state_util.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/strings.h"

namespace fg::optim {

void check_grad(const std::string& name, const Tensor& param, const Tensor& grad,
                const char* component) {
  if (grad.dtype() != DType::F32 || grad.device() != param.device()) {
    throw Error(
        fmt::format("[{}] gradient of '{}' must be an F32 tensor on {} (the parameter's "
                    "device), got {} on {}",
                    component, name, param.device().to_string(), dtype_name(grad.dtype()),
                    grad.device().to_string()));
  }
  if (grad.shape() != param.shape()) {
    throw Error(fmt::format("[{}] gradient of '{}' has shape {}, parameter has {}", component, name,
                            shape_str(grad.shape()), shape_str(param.shape())));
  }
}

StateReader::StateReader(const OptimizerState& state, const std::string& kind) : kind_(kind) {
  if (state.kind != kind) {
    throw Error(fmt::format("[{}] cannot load optimizer state of kind '{}'", kind, state.kind));
  }
  for (const NamedBuffer& b : state.buffers) {
    if (!buffers_.emplace(b.name, &b).second) {
      throw Error(fmt::format("[{}] duplicate state buffer '{}'", kind, b.name));
    }
  }
  for (const auto& [name, value] : state.counters) counters_[name] = value;
}

std::optional<int64_t> StateReader::counter(const std::string& name) {
  auto it = counters_.find(name);
  if (it == counters_.end()) return std::nullopt;
  used_.insert(name);
  return it->second;
}

std::vector<float> StateReader::buffer(const std::string& name, const Shape& shape) {
  auto it = buffers_.find(name);
  if (it == buffers_.end()) {
    std::vector<std::string> names;
    for (const auto& [n, b] : buffers_) names.push_back(n);
    throw Error(
        fmt::format("[{}] state lacks buffer '{}'{}", kind_, name, did_you_mean(name, names)));
  }
  const NamedBuffer& b = *it->second;
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  if (b.shape != shape || static_cast<int64_t>(b.values.size()) != numel) {
    throw Error(fmt::format("[{}] state buffer '{}' has shape {} ({} values), expected {}", kind_,
                            name, shape_str(b.shape), b.values.size(), shape_str(shape)));
  }
  used_.insert(name);
  return b.values;
}

void StateReader::check_all_used() const {
  for (const auto& [name, b] : buffers_) {
    if (!used_.count(name)) {
      throw Error(fmt::format("[{}] state buffer '{}' matches no parameter", kind_, name));
    }
  }
  for (const auto& [name, v] : counters_) {
    if (!used_.count(name)) {
      throw Error(fmt::format("[{}] state counter '{}' matches no parameter", kind_, name));
    }
  }
}

}  // namespace fg::optim
