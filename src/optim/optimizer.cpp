#include "optim/optimizer.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.h"

namespace fg::optim {

Optimizer::Optimizer(std::vector<NamedParameter> params, double lr)
    : params_(std::move(params)), lr_(lr) {
  std::set<std::string> seen;
  for (const auto& [name, t] : params_) {
    if (!t.defined()) throw Error(fmt::format("[Optimizer] parameter '{}' is undefined", name));
    if (t.dtype() != DType::F32) {
      throw Error(fmt::format("[Optimizer] parameter '{}' must be F32, found {}", name,
                              dtype_name(t.dtype())));
    }
    if (!seen.insert(name).second) {
      throw Error(fmt::format("[Optimizer] duplicate parameter name '{}'", name));
    }
  }
  // A tensor listed twice (e.g. tied weights not deduplicated) would be updated twice per step.
  std::map<const void*, const std::string*> owners;
  for (const auto& [name, t] : params_) {
    auto [it, fresh] = owners.emplace(t.impl()->storage.get(), &name);
    if (!fresh) {
      throw Error(
          fmt::format("[Optimizer] parameters '{}' and '{}' share storage; pass each "
                      "tensor once",
                      *it->second, name));
    }
  }
}

void Optimizer::zero_grad() {
  for (auto& [name, t] : params_) t.zero_grad();
}

}  // namespace fg::optim
