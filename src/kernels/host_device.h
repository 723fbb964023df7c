#pragma once
// FG_HOST_DEVICE marks a function that CUDA compiles for both the host and the device, and that
// every other compiler sees as a plain function.
#ifdef __CUDACC__
#define FG_HOST_DEVICE __host__ __device__
#else
#define FG_HOST_DEVICE
#endif
