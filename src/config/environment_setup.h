#pragma once
// Builds the "PP environment" shared by meta, config and code templates: the jinja engine with
// the Forgather globals (spec §2.7, §3.7) plus forgather_dir() (a C++ addition).
#include <memory>
#include <string>

#include "config/jinja/environment.h"

namespace fg::config {

std::unique_ptr<jinja::Environment> make_environment(std::shared_ptr<jinja::Loader> loader,
                                                     const std::string& project_dir,
                                                     const std::string& workspace_root);

}  // namespace fg::config
