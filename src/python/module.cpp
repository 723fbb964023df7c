// forgather._forgather: the C++ library as a Python extension. The pure-Python package
// python/forgather/ wraps it (notebook progress, defaults).
#include "python/bindings.h"

PYBIND11_MODULE(_forgather, m) {
  m.doc() = "Forgather C++: templated configs, training, generation and run reports";
  fg::python::bind_errors(m);
  fg::python::bind_tensor(m);
  fg::python::bind_project(m);
  fg::python::bind_runs(m);
}
