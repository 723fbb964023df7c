#pragma once
// The Jupyter notebook `forgather project create` writes into a new project (project_index.ipynb;
// the source is src/config/scaffold/project_index.ipynb, compiled in by CMake).
#include <string_view>

namespace fg::config {

std::string_view scaffold_notebook();

}  // namespace fg::config
