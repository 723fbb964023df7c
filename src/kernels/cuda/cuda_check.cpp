#include "kernels/cuda/cuda_check.h"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include "core/error.h"

namespace fg::kernels::cuda {

void throw_cuda_error(const char* call, int code, const char* text, const char* file, int line) {
  throw Error(std::string("[cuda] ") + call + " failed (" + std::to_string(code) + ": " + text +
              ") at " + file + ":" + std::to_string(line));
}

void check_cuda(int code, const char* call, const char* file, int line) {
  if (code == cudaSuccess) return;
  throw_cuda_error(call, code, cudaGetErrorString(static_cast<cudaError_t>(code)), file, line);
}

void check_cublas(int code, const char* call, const char* file, int line) {
  if (code == CUBLAS_STATUS_SUCCESS) return;
  throw_cuda_error(call, code, cublasLtGetStatusString(static_cast<cublasStatus_t>(code)), file,
                   line);
}

}  // namespace fg::kernels::cuda
