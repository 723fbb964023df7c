#include "support/cuda_runtime.h"

#include "kernels/cuda/cuda_register.h"

namespace fg::test_support {

std::string cuda_unavailable_reason() {
  const kernels::cuda::CudaProbe p = kernels::cuda::probe_cuda();
  if (!p.error.empty()) return "no CUDA device: the driver says " + p.error;
  if (p.device_count == 0) return "no CUDA device: the driver reports none";
  return "";
}

CudaRuntime::CudaRuntime() {
  kernels::cuda::register_cuda_backend(runtime_, 0, kernels::cuda::probe_cuda().device_count);
}

bool is_cuda_not_implemented(const std::string& message) {
  return message.find("not implemented in the CUDA backend") != std::string::npos;
}

}  // namespace fg::test_support
