#pragma once
// Where a tensor's storage lives. Model code never branches on this; ops ask backend_for().
#include <string>

namespace fg {

namespace kernels {
class Backend;
}

struct Device {
  enum class Kind { CPU, CUDA } kind = Kind::CPU;
  int index = 0;

  static Device cpu() { return Device{}; }
  static Device cuda(int index = 0) { return Device{Kind::CUDA, index}; }
  bool operator==(const Device&) const = default;
  bool is_host() const { return kind == Kind::CPU; }  // memory the host may dereference
  std::string to_string() const;                      // "cpu" or "cuda:0"
};

std::string device_kind_name(Device::Kind kind);  // "cpu", "cuda"

// The backend that runs kernels for a device, looked up in the current fg::Runtime
// (tensor/runtime.h). Throws fg::Error when the build or the runtime has no backend for it.
kernels::Backend& backend_for(Device d);

// Sets the thread count used by OpenMP kernels and the GEMM library (never oversubscribed).
// OpenMP keeps this per calling thread: call it on the thread that runs the ops.
void set_num_threads(int n);
int num_threads();

}  // namespace fg
