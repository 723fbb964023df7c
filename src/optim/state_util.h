#pragma once
// Helpers shared by the optimizers: gradient checks and a validating reader of OptimizerState.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "optim/optimizer.h"

namespace fg::optim {

// Throws fg::Error unless grad is an F32 tensor on the parameter's device with its shape.
void check_grad(const std::string& name, const Tensor& param, const Tensor& grad,
                const char* component);

// Looks up buffers and counters by name, checking kind and shapes, and reports names that no
// parameter claimed (a state from another model).
class StateReader {
 public:
  StateReader(const OptimizerState& state, const std::string& kind);
  std::optional<int64_t> counter(const std::string& name);
  // Throws if missing or if its shape differs from `shape`.
  std::vector<float> buffer(const std::string& name, const Shape& shape);
  bool has_buffer(const std::string& name) const { return buffers_.count(name) != 0; }
  void check_all_used() const;

 private:
  std::string kind_;
  std::map<std::string, const NamedBuffer*> buffers_;
  std::map<std::string, int64_t> counters_;
  std::set<std::string> used_;
};

}  // namespace fg::optim
