#pragma once
// Each Project and each free function builds its registry (what `forgather` builds in main):
// no process-wide state, and building one takes milliseconds.
#include <memory>

#include "cli/app.h"
#include "config/registry.h"

namespace fg::python {

inline std::shared_ptr<const config::Registry> make_registry() {
  auto registry = std::make_shared<config::Registry>();
  cli::register_components(*registry);
  return registry;
}

}  // namespace fg::python
