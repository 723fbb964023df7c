#include "python/tensor_bindings.h"

#include <pybind11/stl.h>

#include <cstring>

#include "core/error.h"
#include "python/bindings.h"

namespace py = pybind11;

namespace fg::python {
namespace {

py::dtype numpy_dtype(DType t) {
  switch (t) {
    case DType::F32:
      return py::dtype::of<float>();
    case DType::I32:
      return py::dtype::of<int32_t>();
    case DType::I64:
      return py::dtype::of<int64_t>();
    default:  // bf16 has no NumPy dtype; f16 is not bridged yet
      break;
  }
  throw Error("[forgather.Tensor] dtype " + dtype_name(t) +
              " does not cross into NumPy (float32, int32 and int64 do)");
}

// The buffer-protocol format of a dtype that numpy_dtype() accepts.
std::string buffer_format(DType t) {
  numpy_dtype(t);  // refuses the others
  if (t == DType::F32) return py::format_descriptor<float>::format();
  if (t == DType::I32) return py::format_descriptor<int32_t>::format();
  return py::format_descriptor<int64_t>::format();
}

// The tensor dtype of a NumPy dtype; throws for the others.
DType tensor_dtype(const py::dtype& d) {
  if (d.equal(py::dtype::of<float>())) return DType::F32;
  if (d.equal(py::dtype::of<int32_t>())) return DType::I32;
  if (d.equal(py::dtype::of<int64_t>())) return DType::I64;
  throw Error("[forgather.Tensor] expected a float32, int32 or int64 array, found " +
              d.attr("name").cast<std::string>());
}

std::vector<py::ssize_t> strides_of(const Shape& shape, int64_t item) {
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = item;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= static_cast<py::ssize_t>(shape[i]);
  }
  return strides;
}

void require_cpu(const Tensor& t) {
  if (t.device() != Device::cpu())
    throw Error("[forgather.Tensor] the tensor lives on " + t.device().to_string() +
                "; NumPy sees CPU memory only");
}

}  // namespace

py::array tensor_to_numpy(const Tensor& t, py::handle keep_alive) {
  if (!t.defined()) throw Error("[forgather.Tensor] the tensor is undefined");
  require_cpu(t);
  const Shape& shape = t.shape();
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  return py::array(numpy_dtype(t.dtype()), dims, strides_of(shape, dtype_size(t.dtype())),
                   t.raw_data(), keep_alive);
}

py::array float64_array(const double* values, const std::vector<py::ssize_t>& shape) {
  const Shape dims(shape.begin(), shape.end());
  return py::array(py::dtype::of<double>(), shape, strides_of(dims, sizeof(double)),
                   values);  // no base: a copy
}

Tensor tensor_from_numpy(const py::array& array) {
  // Byte order aside ('>f4' is float32 too); a swapped array is copied below.
  const py::dtype native_dtype = array.dtype().attr("newbyteorder")("=");
  const DType dtype = tensor_dtype(native_dtype);
  Shape shape(array.shape(), array.shape() + array.ndim());
  const bool contiguous = (array.flags() & py::array::c_style) != 0;
  const bool aligned = array.attr("flags").attr("aligned").cast<bool>();
  const bool native = array.dtype().equal(native_dtype);
  const bool writeable = array.writeable();
  if (contiguous && aligned && native && writeable) {
    // The tensor holds a reference to the array; it is dropped with the GIL held, since the last
    // tensor may die in C++ code that runs without it.
    PyObject* owner = array.ptr();
    Py_INCREF(owner);
    std::shared_ptr<void> lender(owner, [](void* p) {
      if (!Py_IsInitialized()) return;
      py::gil_scoped_acquire gil;
      Py_DECREF(static_cast<PyObject*>(p));
    });
    return Tensor::from_borrowed(const_cast<void*>(array.data()), shape, dtype, std::move(lender));
  }
  // Strided, misaligned, byte-swapped or read-only: a C-contiguous native copy.
  const py::array copy =
      py::module_::import("numpy").attr("ascontiguousarray")(array, native_dtype);
  Tensor out = Tensor::empty(shape, dtype);
  // Sized from the tensor, not py::array::nbytes(): pybind11 2.10 reads the item size from
  // NumPy 1's dtype struct, which NumPy 2 laid out differently.
  std::memcpy(out.raw_data(), copy.data(), static_cast<size_t>(out.numel() * dtype_size(dtype)));
  return out;
}

void bind_tensor(py::module_& m) {
  py::class_<Tensor>(m, "Tensor", py::buffer_protocol(),
                     "A Forgather tensor: contiguous, row-major, float32/int32/int64. "
                     "np.asarray(t) and t.numpy() share its memory.")
      .def(py::init([](const py::array& a) { return tensor_from_numpy(a); }), py::arg("array"),
           "A tensor over the array's memory when it is C-contiguous, aligned, native-endian and "
           "writeable (no copy); otherwise over a copy")
      .def_buffer([](Tensor& t) -> py::buffer_info {
        require_cpu(t);
        const Shape& shape = t.shape();
        const int64_t item = dtype_size(t.dtype());
        std::vector<py::ssize_t> dims(shape.begin(), shape.end());
        const std::string format = buffer_format(t.dtype());
        return py::buffer_info(t.raw_data(), item, format, static_cast<py::ssize_t>(dims.size()),
                               dims, strides_of(shape, item));
      })
      .def(
          "numpy", [](py::object self) { return tensor_to_numpy(self.cast<Tensor&>(), self); },
          "A NumPy array sharing this tensor's memory")
      .def_property_readonly("shape",
                             [](const Tensor& t) {
                               const Shape& s = t.shape();
                               return py::tuple(py::cast(std::vector<int64_t>(s.begin(), s.end())));
                             })
      .def_property_readonly("dtype", [](const Tensor& t) { return dtype_name(t.dtype()); })
      .def("__len__", [](const Tensor& t) { return t.dim() == 0 ? 0 : t.size(0); })
      .def("__repr__", [](const Tensor& t) { return t.to_string(); });
  m.def(
      "from_numpy", [](const py::array& a) { return tensor_from_numpy(a); }, py::arg("array"),
      "Tensor(array): shares the array's memory where the layout allows");
}

}  // namespace fg::python
