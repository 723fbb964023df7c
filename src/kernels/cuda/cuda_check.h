#pragma once
// Turns a failed CUDA runtime or cuBLASLt call into an fg::Error naming the call and CUDA's text.
// Argument errors are the ops' job; these fire only on device faults (out of memory, a lost
// device, a bad launch), which the caller cannot prevent.
#include <string>

namespace fg::kernels::cuda {

[[noreturn]] void throw_cuda_error(const char* call, int code, const char* text, const char* file,
                                   int line);
void check_cuda(int code, const char* call, const char* file, int line);    // cudaError_t
void check_cublas(int code, const char* call, const char* file, int line);  // cublasStatus_t

}  // namespace fg::kernels::cuda

#define FG_CUDA_CHECK(call) \
  ::fg::kernels::cuda::check_cuda(static_cast<int>(call), #call, __FILE__, __LINE__)
#define FG_CUBLAS_CHECK(call) \
  ::fg::kernels::cuda::check_cublas(static_cast<int>(call), #call, __FILE__, __LINE__)
