#pragma once
// Scalar activation functions and derivatives, inlined into the vectorised CPU loops.
#include <cmath>

#include "kernels/types.h"

namespace fg::kernels::cpu {

inline float act_value(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::ReLU:
      return x > 0.f ? x : 0.f;
    case Activation::GELU:
      return 0.5f * x * (1.f + std::erf(x * 0.70710678118654752f));
    case Activation::SiLU:
      return x / (1.f + std::exp(-x));
    case Activation::Sigmoid:
      return 1.f / (1.f + std::exp(-x));
    case Activation::Tanh:
      return std::tanh(x);
  }
  return x;
}

// d act(x) / dx
inline float act_grad(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return 1.f;
    case Activation::ReLU:
      return x > 0.f ? 1.f : 0.f;
    case Activation::GELU: {
      float cdf = 0.5f * (1.f + std::erf(x * 0.70710678118654752f));
      float pdf = 0.3989422804014327f * std::exp(-0.5f * x * x);
      return cdf + x * pdf;
    }
    case Activation::SiLU: {
      float s = 1.f / (1.f + std::exp(-x));
      return s * (1.f + x * (1.f - s));
    }
    case Activation::Sigmoid: {
      float s = 1.f / (1.f + std::exp(-x));
      return s * (1.f - s);
    }
    case Activation::Tanh: {
      float t = std::tanh(x);
      return 1.f - t * t;
    }
  }
  return 1.f;
}

}  // namespace fg::kernels::cpu
