#pragma once
// Activation values and derivatives on the device: the formulas of kernels/cpu/activation_math.h
// with CUDA's libm (so results agree with the CPU to rounding, not bit for bit).
#include "kernels/types.h"

namespace fg::kernels::cuda {

__device__ inline float sigmoid(float x) {
  return 1.f / (1.f + expf(-x));
}

__device__ inline float act_value(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::ReLU:
      return x > 0.f ? x : 0.f;
    case Activation::GELU:
      return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
    case Activation::SiLU:
      return x * sigmoid(x);
    case Activation::Sigmoid:
      return sigmoid(x);
    case Activation::Tanh:
      return tanhf(x);
  }
  return x;
}

__device__ inline float act_grad(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return 1.f;
    case Activation::ReLU:
      return x > 0.f ? 1.f : 0.f;
    case Activation::GELU: {
      float cdf = 0.5f * (1.f + erff(x * 0.70710678118654752f));
      float pdf = 0.3989422804014327f * expf(-0.5f * x * x);
      return cdf + x * pdf;
    }
    case Activation::SiLU: {
      float s = sigmoid(x);
      return s * (1.f + x * (1.f - s));
    }
    case Activation::Sigmoid: {
      float s = sigmoid(x);
      return s * (1.f - s);
    }
    case Activation::Tanh: {
      float t = tanhf(x);
      return 1.f - t * t;
    }
  }
  return 1.f;
}

}  // namespace fg::kernels::cuda
