#pragma once
// The activation formulas (kernels/activation_formulas.h) on the branch-free vec_math.h, inlined
// into the CPU's vectorised loops.
#include "kernels/activation_formulas.h"
#include "kernels/cpu/isa_namespace.h"
#include "kernels/cpu/vec_math.h"

namespace fg::kernels::cpu::FG_ISA_NS {

struct VecMath {
  static float exp(float x) { return vexp(x); }
  static float erf(float x) { return verf(x); }
  static float sigmoid(float x) { return vsigmoid(x); }
  static float tanh(float x) { return vtanh(x); }
};

inline float act_value(Activation a, float x) {
  return activation_value<VecMath>(a, x);
}

// d act(x) / dx
inline float act_grad(Activation a, float x) {
  return activation_grad<VecMath>(a, x);
}

}  // namespace fg::kernels::cpu::FG_ISA_NS
