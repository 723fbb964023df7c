#pragma once
// fg::Tensor <-> NumPy without copying: a tensor exports its CPU storage through the buffer
// protocol, and a C-contiguous, aligned float32/int32/int64 array lends its buffer to a tensor.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "tensor/tensor.h"

namespace fg::python {

// A NumPy array viewing `t`'s memory; `keep_alive` (the Python Tensor) owns the storage.
pybind11::array tensor_to_numpy(const Tensor& t, pybind11::handle keep_alive);
// A tensor over the array's memory when its layout allows (see above), else over a copy.
Tensor tensor_from_numpy(const pybind11::array& array);

}  // namespace fg::python
