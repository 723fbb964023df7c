#pragma once
// Scalar activation functions and derivatives, inlined into the vectorised CPU loops (built on
// the branch-free vec_math.h so `omp simd` loops vectorise).
#include "kernels/cpu/isa_namespace.h"
#include "kernels/cpu/vec_math.h"
#include "kernels/types.h"

namespace fg::kernels::cpu::FG_ISA_NS {

inline float act_value(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::ReLU:
      return x > 0.f ? x : 0.f;
    case Activation::GELU:
      return 0.5f * x * (1.f + verf(x * 0.70710678118654752f));
    case Activation::SiLU:
      return x * vsigmoid(x);
    case Activation::Sigmoid:
      return vsigmoid(x);
    case Activation::Tanh:
      return vtanh(x);
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
      float cdf = 0.5f * (1.f + verf(x * 0.70710678118654752f));
      float pdf = 0.3989422804014327f * vexp(-0.5f * x * x);
      return cdf + x * pdf;
    }
    case Activation::SiLU: {
      float s = vsigmoid(x);
      return s * (1.f + x * (1.f - s));
    }
    case Activation::Sigmoid: {
      float s = vsigmoid(x);
      return s * (1.f - s);
    }
    case Activation::Tanh: {
      float t = vtanh(x);
      return 1.f - t * t;
    }
  }
  return 1.f;
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
