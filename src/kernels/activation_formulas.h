#pragma once
// The activations and their derivatives, written once for every backend. Math supplies exp, erf,
// sigmoid and tanh: the CPU's branch-free versions that `omp simd` loops vectorise
// (cpu/activation_math.h), CUDA's libm (cuda/cuda_activation.cuh). The two agree to rounding, not
// bit for bit.
#include "kernels/host_device.h"
#include "kernels/types.h"

namespace fg::kernels {

template <class Math>
FG_HOST_DEVICE inline float activation_value(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::ReLU:
      return x > 0.f ? x : 0.f;
    case Activation::GELU:
      return 0.5f * x * (1.f + Math::erf(x * 0.70710678118654752f));
    case Activation::SiLU:
      return x * Math::sigmoid(x);
    case Activation::Sigmoid:
      return Math::sigmoid(x);
    case Activation::Tanh:
      return Math::tanh(x);
  }
  return x;
}

// d act(x) / dx
template <class Math>
FG_HOST_DEVICE inline float activation_grad(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return 1.f;
    case Activation::ReLU:
      return x > 0.f ? 1.f : 0.f;
    case Activation::GELU: {
      const float cdf = 0.5f * (1.f + Math::erf(x * 0.70710678118654752f));
      const float pdf = 0.3989422804014327f * Math::exp(-0.5f * x * x);
      return cdf + x * pdf;
    }
    case Activation::SiLU: {
      const float s = Math::sigmoid(x);
      return s * (1.f + x * (1.f - s));
    }
    case Activation::Sigmoid: {
      const float s = Math::sigmoid(x);
      return s * (1.f - s);
    }
    case Activation::Tanh: {
      const float t = Math::tanh(x);
      return 1.f - t * t;
    }
  }
  return 1.f;
}

}  // namespace fg::kernels
