#include "python/py_json.h"

#include "core/error.h"

namespace py = pybind11;

namespace fg::python {
namespace {

constexpr int kMaxDepth = 64;  // a self-referencing list must not recurse forever

nlohmann::json convert(py::handle v, const std::string& what, int depth) {
  if (depth > kMaxDepth) throw Error("[" + what + "] nested more than 64 levels deep");
  if (v.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>();
  if (py::isinstance<py::int_>(v)) {
    try {
      return v.cast<int64_t>();
    } catch (const py::cast_error&) {
      throw Error("[" + what + "] integer " + py::str(v).cast<std::string>() +
                  " does not fit in 64 bits");
    }
  }
  if (py::isinstance<py::float_>(v)) return v.cast<double>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    nlohmann::json out = nlohmann::json::array();
    for (py::handle item : v) out.push_back(convert(item, what, depth + 1));
    return out;
  }
  if (py::isinstance<py::dict>(v)) {
    nlohmann::json out = nlohmann::json::object();
    for (auto [key, item] : v.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key))
        throw Error("[" + what + "] dictionary keys must be str, found " +
                    py::str(py::type::of(key).attr("__name__")).cast<std::string>());
      out[key.cast<std::string>()] = convert(item, what + "." + key.cast<std::string>(), depth + 1);
    }
    return out;
  }
  throw Error("[" + what + "] expected None, bool, int, float, str, list or dict, found " +
              py::str(py::type::of(v).attr("__name__")).cast<std::string>());
}

}  // namespace

nlohmann::json to_json(py::handle value, const std::string& what) {
  return convert(value, what, 0);
}

py::object from_json(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(v.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(v.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(v.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return py::float_(v.get<double>());
    case nlohmann::json::value_t::string:
      return py::str(v.get<std::string>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& item : v) out.append(from_json(item));
      return out;
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : v.items()) out[py::str(key)] = from_json(item);
      return out;
    }
    default:
      return py::none();
  }
}

}  // namespace fg::python
