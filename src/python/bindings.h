#pragma once
// The pieces of the extension module forgather._forgather, one function per binding file.
#include <pybind11/pybind11.h>

namespace fg::python {

void bind_errors(pybind11::module_& m);   // errors.cpp
void bind_tensor(pybind11::module_& m);   // tensor_bindings.cpp
void bind_project(pybind11::module_& m);  // project_bindings.cpp
void bind_runs(pybind11::module_& m);     // run_bindings.cpp

}  // namespace fg::python
