#include "tensor/device.h"

#include "core/check.h"
#include "kernels/cpu/cpu_backend.h"

namespace fg {

std::string Device::to_string() const {
  return kind == Kind::CPU ? "cpu" : "cuda:" + std::to_string(index);
}

kernels::Backend& backend_for(Device d) {
  static kernels::cpu::CpuBackend cpu_backend;
  FG_CHECK(d.kind == Device::Kind::CPU,
           "[backend] device {} is not available: this build has only the CPU backend",
           d.to_string());
  return cpu_backend;
}

void set_num_threads(int n) {
  backend_for(Device::cpu()).set_num_threads(n);
}
int num_threads() {
  return backend_for(Device::cpu()).num_threads();
}

}  // namespace fg
