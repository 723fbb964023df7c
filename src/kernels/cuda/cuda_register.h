#pragma once
// What the CUDA runtime reports about this machine, and registering the CUDA backend with a
// runtime. Only built with FG_WITH_CUDA (cli/device_selection.cpp says why not otherwise).
#include <string>

namespace fg {
class Runtime;
}

namespace fg::kernels::cuda {

struct CudaProbe {
  int device_count = 0;  // 0 when error is set
  std::string error;     // cudaGetDeviceCount's failure text ("no CUDA-capable device ...")
};

// Asks the driver how many devices exist; never throws.
CudaProbe probe_cuda();

// Registers a CudaBackend for `device` as the runtime's cuda backend (one GPU per process).
void register_cuda_backend(Runtime& runtime, int device, int device_count);

}  // namespace fg::kernels::cuda
