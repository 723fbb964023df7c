#include "kernels/cuda/cuda_register.h"

#include <cuda_runtime.h>

#include <memory>

#include "kernels/cuda/cuda_backend.h"
#include "tensor/runtime.h"

namespace fg::kernels::cuda {

CudaProbe probe_cuda() {
  CudaProbe p;
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    p.error = std::string(cudaGetErrorName(e)) + ": " + cudaGetErrorString(e);
    cudaGetLastError();  // clear the sticky-free error so later calls start clean
    return p;
  }
  p.device_count = n;
  return p;
}

void register_cuda_backend(Runtime& runtime, int device, int device_count) {
  runtime.register_backend(Device::Kind::CUDA, std::make_unique<CudaBackend>(device), device_count);
}

}  // namespace fg::kernels::cuda
