#include "tensor/device.h"

#include "kernels/backend.h"
#include "tensor/runtime.h"

namespace fg {

std::string device_kind_name(Device::Kind kind) {
  return kind == Device::Kind::CPU ? "cpu" : "cuda";
}

std::string Device::to_string() const {
  return kind == Kind::CPU ? "cpu" : device_kind_name(kind) + ":" + std::to_string(index);
}

kernels::Backend& backend_for(Device d) {
  return Runtime::current().backend(d);
}

void set_num_threads(int n) {
  backend_for(Device::cpu()).set_num_threads(n);
}
int num_threads() {
  return backend_for(Device::cpu()).num_threads();
}

}  // namespace fg
