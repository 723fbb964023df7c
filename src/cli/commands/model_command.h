#pragma once
// `forgather model`: the config's model built and described. summarize_model() is shared with
// the Python module's Project.model().
#include <memory>
#include <string>

#include "config/object.h"
#include "config/project.h"
#include "config/registry.h"

namespace fg::cli {

struct ModelSummary {
  config::Object value;  // keeps the built model alive
  std::shared_ptr<const config::Describable> describable;
  std::string tree() const { return describable->describe(); }
  int64_t parameters() const { return describable->parameter_count(); }
};

// Builds `target` (calling it once when it is a model factory) and checks it can describe
// itself; throws ConfigError naming the target otherwise.
ModelSummary summarize_model(config::Project& project, const config::Registry& registry,
                             const std::string& target);

}  // namespace fg::cli
