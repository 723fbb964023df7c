#pragma once
// The activation formulas (kernels/activation_formulas.h) on CUDA's libm, for the device kernels.
#include "kernels/activation_formulas.h"

namespace fg::kernels::cuda {

struct DeviceMath {
  __device__ static float exp(float x) { return expf(x); }
  __device__ static float erf(float x) { return erff(x); }
  __device__ static float sigmoid(float x) { return 1.f / (1.f + expf(-x)); }
  __device__ static float tanh(float x) { return tanhf(x); }
};

__device__ inline float act_value(Activation a, float x) {
  return activation_value<DeviceMath>(a, x);
}

__device__ inline float act_grad(Activation a, float x) {
  return activation_grad<DeviceMath>(a, x);
}

}  // namespace fg::kernels::cuda
