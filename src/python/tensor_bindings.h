#pragma once
// fg::Tensor <-> NumPy without copying: a tensor exports its CPU storage through the buffer
// protocol, and a C-contiguous, aligned float32/int32/int64 array lends its buffer to a tensor.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <vector>

#include "tensor/tensor.h"

namespace fg::python {

// A NumPy array viewing `t`'s memory; `keep_alive` (the Python Tensor) owns the storage.
pybind11::array tensor_to_numpy(const Tensor& t, pybind11::handle keep_alive);
// A float64 array copied from `values` (row-major in `shape`). Strides are given explicitly:
// pybind11 2.10 derives default strides from NumPy 1's dtype struct, which NumPy 2 changed.
pybind11::array float64_array(const double* values, const std::vector<pybind11::ssize_t>& shape);
// A tensor over the array's memory when its layout allows (see above), else over a copy.
Tensor tensor_from_numpy(const pybind11::array& array);

}  // namespace fg::python
