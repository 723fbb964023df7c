#pragma once
// The CUDA device for tests: a Runtime with the real CUDA backend on device 0, and the reason
// there is none on this machine (tests then GTEST_SKIP with it, and ctest reports them skipped).
#include <string>

#include "tensor/runtime.h"

namespace fg::test_support {

// "" when this build has the CUDA backend and the driver reports a device; otherwise why not.
std::string cuda_unavailable_reason();

// While alive, Device::cuda(0) runs on the CudaBackend. Make one only when
// cuda_unavailable_reason() is "".
class CudaRuntime {
 public:
  CudaRuntime();
  Runtime& runtime() { return runtime_; }

 private:
  Runtime runtime_;
};

// Whether an fg::Error is the CUDA backend's refusal of an op it does not implement yet.
bool is_cuda_not_implemented(const std::string& message);

}  // namespace fg::test_support
