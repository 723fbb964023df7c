// fg::Error and its kinds become Python exceptions with the same message (file:line and key
// path included); a training run stopped by Ctrl-C becomes KeyboardInterrupt.
#include <filesystem>

#include "core/error.h"
#include "python/bindings.h"

namespace py = pybind11;

namespace fg::python {
namespace {

// Made once at import; the translator below looks them up here. Handles, not objects: the
// module keeps the classes alive, and nothing must be released after the interpreter ends.
struct ErrorTypes {
  py::handle error, config_error, io_error, shape_error;
};

ErrorTypes& types() {
  static ErrorTypes t;
  return t;
}

void raise(py::handle type, const std::string& message, const ConfigError* config) {
  py::object instance = type(message);
  if (config) {
    instance.attr("file") = config->where().file;
    instance.attr("line") = config->where().line;
    instance.attr("key_path") = config->key_path();
  }
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

void bind_errors(py::module_& m) {
  ErrorTypes& t = types();
  auto make = [](const char* name, const char* doc, PyObject* base) {
    PyObject* type = PyErr_NewExceptionWithDoc(name, doc, base, nullptr);
    if (!type) throw py::error_already_set();
    return py::handle(type);  // a new reference, kept for the life of the process
  };
  t.error = make("forgather.Error", "A Forgather error (fg::Error)", PyExc_RuntimeError);
  auto derived = [&](const char* name, const char* doc) { return make(name, doc, t.error.ptr()); };
  t.config_error = derived("forgather.ConfigError",
                           "A configuration error; .file, .line and .key_path say where");
  t.io_error = derived("forgather.IoError", "A file or directory that cannot be used");
  t.shape_error = derived("forgather.ShapeError", "Tensor shapes that do not fit an op");
  m.attr("Error") = t.error;
  m.attr("ConfigError") = t.config_error;
  m.attr("IoError") = t.io_error;
  m.attr("ShapeError") = t.shape_error;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const ConfigError& e) {
      raise(types().config_error, e.what(), &e);
    } catch (const IoError& e) {
      raise(types().io_error, e.what(), nullptr);
    } catch (const ShapeError& e) {
      raise(types().shape_error, e.what(), nullptr);
    } catch (const Error& e) {
      raise(types().error, e.what(), nullptr);
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError,
                      ("cannot use '" + e.path1().string() + "': " + e.code().message()).c_str());
    }
  });
}

}  // namespace fg::python
